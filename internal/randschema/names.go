package randschema

// Name pools. Property and definition names are drawn from plain names,
// from names that meet identifiers the generated package declares (its API
// and its support code; ShadowNames) and from names a struct tag cannot
// carry (AwkwardNames). Names with spaces, dashes, dots, digits first,
// upper case or non-ASCII letters are always drawn: the generator either
// maps them to Go or refuses them with a clear error.

var plainNames = []string{
	"id", "name", "status", "amount", "count", "kind", "reason", "code",
	"url", "email", "created_at", "updated_at", "duration", "cost_cents",
	"tags", "items", "metadata", "owner", "region", "phone", "attempt",
	"score", "ratio", "enabled", "labels", "note", "level", "total",
	"source", "target", "window", "limit", "offset", "version", "value",
	"message", "details", "parent", "child", "address", "city", "zip",
}

// oddNames are valid property names that need care when mapped to Go.
var oddNames = []string{
	"with space", "dash-name", "dot.name", "9lives", "CamelCase", "HTTPStatus",
	"x", "_under", "trailing_", "a__b", "ID", "Id", "url_2", "UTF8",
	"ünïcode", "名前", "", "$dollar", "a/b", "tilde~", "%percent",
}

// shadowNames meet identifiers of the generated API and support code.
var shadowNames = []string{
	"validate", "Validate", "event_type", "EventType", "parse", "Parse",
	"event", "Event", "data", "unknown_event", "UnknownEvent", "known",
	"marshal_json", "MarshalJSON", "unmarshal_json", "UnmarshalJSON",
	"time", "integer", "string", "boolean", "number", "object", "array",
	"null", "raw", "error", "problem", "syntax_error", "validation_error",
	"handler", "decoder", "checker", "pointer", "nullable", "type",
	"func", "map", "interface", "go", "len", "nil", "true", "iota",
	"valid", "json", "fmt", "strings", "errors", "bytes",
}

// awkwardNames cannot be written in a Go struct tag as they are.
var awkwardNames = []string{
	`quote"d`, "back`tick", `back\slash`, "it's", "a,b", `"`, "`", `\`,
	"omitempty", "a,omitempty", "-", ",string",
}

// defNames are the names of definitions ($defs entries).
var defNames = []string{
	"call_id", "phone_number", "money", "cents", "seconds", "user", "address",
	"status", "direction", "timestamp_ms", "ratio", "tag_list", "labels",
	"point", "range", "identifier", "level", "flags", "entry", "change",
}

// shadowDefNames meet the support code's helpers and the API's names.
var shadowDefNames = []string{
	"time", "integer", "string", "boolean", "number", "raw", "event",
	"event_type", "unknown_event", "validation_error", "syntax_error",
	"problem", "handler", "int64", "float64", "bool", "nullable", "error",
}

// eventWords make event types: category.action.
var eventWords = []string{
	"call", "order", "user", "payment", "port_request", "sms", "agent",
	"created", "updated", "deleted", "completed", "failed", "ready", "low",
}

// stringWords are ordinary string values: enum values, consts, samples.
var stringWords = []string{
	"inbound", "outbound", "active", "paused", "NETWORK_ERROR", "normal_clearing",
	"a", "B", "x-y", "with space", "1st", "ok", "", "null", "true", "42",
	"ünï", "📞", "tab\there", "quote\"d", "back\\slash", "Known", "String",
}
