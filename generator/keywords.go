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

// keywords classifies every keyword of draft 2020-12 and krosgen's own
// annotations. anyOf is raw except in the open-enum idiom, and $ref typed
// only when nothing but annotations stands beside it; classify decides.
var keywords = map[string]keywordClass{
	"$schema":     annotationKeyword,
	"$comment":    annotationKeyword,
	"$defs":       annotationKeyword,
	"title":       annotationKeyword,
	"description": annotationKeyword,
	"examples":    annotationKeyword,
	"default":     annotationKeyword,
	"deprecated":  annotationKeyword,
	"readOnly":    annotationKeyword,
	"writeOnly":   annotationKeyword,
	"x-order":     annotationKeyword,
	"x-go-name":   annotationKeyword,
	// ClosedAnnotation: an enum closed on purpose, which is not warned of.
	"x-krosgen-closed": annotationKeyword,

	"$ref":                 typedKeyword,
	"type":                 typedKeyword,
	"enum":                 typedKeyword,
	"const":                typedKeyword,
	"properties":           typedKeyword,
	"required":             typedKeyword,
	"additionalProperties": typedKeyword,
	"items":                typedKeyword,
	"pattern":              typedKeyword,
	"format":               typedKeyword,
	"minLength":            typedKeyword,
	"maxLength":            typedKeyword,
	"minimum":              typedKeyword,
	"maximum":              typedKeyword,
	"exclusiveMinimum":     typedKeyword,
	"exclusiveMaximum":     typedKeyword,
	"multipleOf":           typedKeyword,
	"minItems":             typedKeyword,
	"maxItems":             typedKeyword,
	"minProperties":        typedKeyword,
	"maxProperties":        typedKeyword,

	"allOf":       rawKeyword,
	"anyOf":       rawKeyword,
	"oneOf":       rawKeyword,
	"not":         rawKeyword,
	"uniqueItems": rawKeyword,

	"$id":                   unsupportedKeyword,
	"$anchor":               unsupportedKeyword,
	"$dynamicRef":           unsupportedKeyword,
	"$dynamicAnchor":        unsupportedKeyword,
	"$vocabulary":           unsupportedKeyword,
	"if":                    unsupportedKeyword,
	"then":                  unsupportedKeyword,
	"else":                  unsupportedKeyword,
	"dependentRequired":     unsupportedKeyword,
	"dependentSchemas":      unsupportedKeyword,
	"prefixItems":           unsupportedKeyword,
	"contains":              unsupportedKeyword,
	"minContains":           unsupportedKeyword,
	"maxContains":           unsupportedKeyword,
	"patternProperties":     unsupportedKeyword,
	"propertyNames":         unsupportedKeyword,
	"unevaluatedItems":      unsupportedKeyword,
	"unevaluatedProperties": unsupportedKeyword,
	"contentEncoding":       unsupportedKeyword,
	"contentMediaType":      unsupportedKeyword,
	"contentSchema":         unsupportedKeyword,
}

// draft202012 is the one $schema krosgen reads.
const draft202012 = "https://json-schema.org/draft/2020-12/schema"

// supportedFormats are the formats the generated code checks.
var supportedFormats = []string{"date", "date-time", "email", "hostname", "ipv4", "ipv6", "time", "uri", "uuid"}
