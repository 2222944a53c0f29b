package rt

// Format is a JSON Schema "format" that krosgen checks.
type Format struct {
	// Name is the format's name in a schema: "date-time".
	Name string
	// Func is the checker's name, in this package and in every generated
	// package: "isDateTime". It is unexported there, so that no generated
	// package exports format helpers.
	Func string
	// Check is the checker itself, which package schema registers with the
	// reference validator so that both agree by construction.
	Check func(string) bool
}

// Formats lists the formats krosgen checks, in name order.
var Formats = []Format{
	{"date", "isDate", isDate},
	{"date-time", "isDateTime", isDateTime},
	{"email", "isEmail", isEmail},
	{"hostname", "isHostname", isHostname},
	{"ipv4", "isIPv4", isIPv4},
	{"ipv6", "isIPv6", isIPv6},
	{"time", "isTime", isTime},
	{"uri", "isURI", isURI},
	{"uuid", "isUUID", isUUID},
}

// FormatFunc returns the name of the checker of a format, and false for a
// format krosgen does not check.
func FormatFunc(name string) (string, bool) {
	for _, f := range Formats {
		if f.Name == name {
			return f.Func, true
		}
	}
	return "", false
}

// Quoted renders a string value as every problem message of the generated
// code does (quoted, shortened when long), followed by rest, so that
// krosgen validate words the reference validator's findings as Parse does.
func Quoted(s, rest string) string { return quoted(s, rest) }
