package generator

// keywordClass says what the generator does with a JSON Schema keyword. The
// table below is the one list of keywords in the generator: the typed layer
// reads a schema through it, and refuses any keyword it does not list.
type keywordClass int

const (
	// annotationKeyword carries no constraint: it documents, or names.
	annotationKeyword keywordClass = iota + 1
	// typedKeyword is implemented on a typed Go value (and by validators).
	typedKeyword
	// rawKeyword is implemented by validators only: a schema using it holds
	// a json.RawMessage checked as it is read.
	rawKeyword
	// unsupportedKeyword is refused wherever it appears.
	unsupportedKeyword
)

// keyword is one row of the keyword table.
type keyword struct {
	class keywordClass
	// appliesTo is the JSON type a validation keyword constrains, when it
	// constrains one type only: a typed schema of another type using it is
	// refused (a mistake, not a constraint).
	appliesTo jsonType
	// at lists the roots of the envelope and event files where the keyword
	// may stand besides annotations; anywhere else in those roots it is
	// refused.
	at root
}

// jsonType names the JSON type a keyword applies to.
type jsonType string

const (
	appliesToString jsonType = "string"
	appliesToNumber jsonType = "integer or number"
)

// root is a set of places in the envelope and event files.
type root uint8

const (
	// atEnvelope is the root of envelope.json: Event, a struct.
	atEnvelope root = 1 << iota
	// atEnvelopeData is the envelope's "data": each event constrains it.
	atEnvelopeData
	// atEvent is the root of an event file: a $ref to the envelope, and the
	// event's own "event" and "data".
	atEvent
)

// keywords classifies every keyword of draft 2020-12 and krosgen's own
// annotations. anyOf is raw except in the open-enum idiom, and $ref typed
// only when nothing but annotations stands beside it; classify decides.
var keywords = map[string]keyword{
	"$schema":     {class: annotationKeyword},
	"$comment":    {class: annotationKeyword},
	"$defs":       {class: annotationKeyword},
	"title":       {class: annotationKeyword},
	"description": {class: annotationKeyword},
	"examples":    {class: annotationKeyword},
	"default":     {class: annotationKeyword},
	"deprecated":  {class: annotationKeyword},
	"readOnly":    {class: annotationKeyword},
	"writeOnly":   {class: annotationKeyword},
	"x-order":     {class: annotationKeyword},
	"x-go-name":   {class: annotationKeyword},
	// ClosedAnnotation: an enum closed on purpose, which is not warned of.
	"x-krosgen-closed": {class: annotationKeyword},

	"$ref":                 {class: typedKeyword, at: atEvent},
	"type":                 {class: typedKeyword, at: atEnvelope | atEnvelopeData},
	"enum":                 {class: typedKeyword},
	"const":                {class: typedKeyword},
	"properties":           {class: typedKeyword, at: atEnvelope | atEvent},
	"required":             {class: typedKeyword, at: atEnvelope},
	"additionalProperties": {class: typedKeyword, at: atEnvelope},
	"items":                {class: typedKeyword},
	"pattern":              {class: typedKeyword, appliesTo: appliesToString},
	"format":               {class: typedKeyword, appliesTo: appliesToString},
	"minLength":            {class: typedKeyword, appliesTo: appliesToString},
	"maxLength":            {class: typedKeyword, appliesTo: appliesToString},
	"minimum":              {class: typedKeyword, appliesTo: appliesToNumber},
	"maximum":              {class: typedKeyword, appliesTo: appliesToNumber},
	"exclusiveMinimum":     {class: typedKeyword, appliesTo: appliesToNumber},
	"exclusiveMaximum":     {class: typedKeyword, appliesTo: appliesToNumber},
	"multipleOf":           {class: typedKeyword, appliesTo: appliesToNumber},
	"minItems":             {class: typedKeyword},
	"maxItems":             {class: typedKeyword},
	"minProperties":        {class: typedKeyword},
	"maxProperties":        {class: typedKeyword},

	"allOf":       {class: rawKeyword},
	"anyOf":       {class: rawKeyword},
	"oneOf":       {class: rawKeyword},
	"not":         {class: rawKeyword},
	"uniqueItems": {class: rawKeyword},

	"$id":                   {class: unsupportedKeyword},
	"$anchor":               {class: unsupportedKeyword},
	"$dynamicRef":           {class: unsupportedKeyword},
	"$dynamicAnchor":        {class: unsupportedKeyword},
	"$vocabulary":           {class: unsupportedKeyword},
	"if":                    {class: unsupportedKeyword},
	"then":                  {class: unsupportedKeyword},
	"else":                  {class: unsupportedKeyword},
	"dependentRequired":     {class: unsupportedKeyword},
	"dependentSchemas":      {class: unsupportedKeyword},
	"prefixItems":           {class: unsupportedKeyword},
	"contains":              {class: unsupportedKeyword},
	"minContains":           {class: unsupportedKeyword},
	"maxContains":           {class: unsupportedKeyword},
	"patternProperties":     {class: unsupportedKeyword},
	"propertyNames":         {class: unsupportedKeyword},
	"unevaluatedItems":      {class: unsupportedKeyword},
	"unevaluatedProperties": {class: unsupportedKeyword},
	"contentEncoding":       {class: unsupportedKeyword},
	"contentMediaType":      {class: unsupportedKeyword},
	"contentSchema":         {class: unsupportedKeyword},
}

// allowedAt reports whether keyword k may stand at the root r: an annotation
// anywhere, another keyword only where the table says.
func allowedAt(k string, r root) bool {
	kw := keywords[k]
	return kw.class == annotationKeyword || kw.at&r != 0
}

// draft202012 is the one $schema krosgen reads.
const draft202012 = "https://json-schema.org/draft/2020-12/schema"

// supportedFormats are the formats the generated code checks.
var supportedFormats = []string{"date", "date-time", "email", "hostname", "ipv4", "ipv6", "time", "uri", "uuid"}
