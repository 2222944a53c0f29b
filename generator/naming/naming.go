// Package naming turns JSON names into Go identifiers. It is the one place
// that decides a Go name; the model builder calls it for every identifier it
// derives from a schema.
package naming

import (
	"go/token"
	"strings"
	"unicode"
	"unicode/utf8"
)

// initialisms are written in upper case as Go style asks (CallID, not CallId).
var initialisms = map[string]bool{
	"acl": true, "api": true, "ascii": true, "cpu": true, "css": true, "dns": true,
	"e164": true, "eof": true, "guid": true, "html": true, "http": true, "https": true,
	"id": true, "ip": true, "json": true, "lhs": true, "qps": true, "ram": true,
	"rhs": true, "rpc": true, "sip": true, "sla": true, "smtp": true, "sql": true,
	"ssh": true, "tcp": true, "tls": true, "ttl": true, "udp": true, "ui": true,
	"uid": true, "uri": true, "url": true, "utf8": true, "uuid": true, "vm": true,
	"xml": true, "xmpp": true, "xsrf": true, "xss": true, "sms": true, "tts": true,
	"stt": true, "ivr": true, "pstn": true,
}

// Words splits a JSON name into words: at '_', '-', '.', ' ' and other
// non-alphanumeric characters, and at case changes ("fromNumber" -> from,
// Number; "HTTPServer" -> HTTP, Server).
func Words(name string) []string {
	var words []string
	runes := []rune(name)
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			words = append(words, string(runes[start:end]))
		}
		start = -1
	}
	for i, r := range runes {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
			continue
		}
		prev := runes[i-1]
		switch {
		case unicode.IsLower(prev) && unicode.IsUpper(r):
			flush(i)
			start = i
		case unicode.IsUpper(prev) && unicode.IsUpper(r) && i+1 < len(runes) && unicode.IsLower(runes[i+1]):
			flush(i)
			start = i
		}
	}
	flush(len(runes))
	return words
}

// GoName returns the exported Go identifier for a JSON name:
// "call_id" -> "CallID", "recording_url" -> "RecordingURL",
// "call.completed" -> "CallCompleted", "NETWORK_ERROR" -> "NetworkError".
// A name that would start with a digit gets a leading "X"; a name with no
// letters or digits at all gives "". Non-ASCII letters are kept (Go allows
// them) but callers may reject them.
func GoName(name string) string {
	var b strings.Builder
	for _, w := range Words(name) {
		lw := strings.ToLower(w)
		if initialisms[lw] {
			b.WriteString(strings.ToUpper(w))
			continue
		}
		r, size := utf8.DecodeRuneInString(lw)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(lw[size:])
	}
	s := b.String()
	if s == "" {
		return ""
	}
	if r, _ := utf8.DecodeRuneInString(s); unicode.IsDigit(r) {
		s = "X" + s
	}
	return s
}

// Unexported returns the unexported form of an exported Go name:
// "CallID" -> "callID", "URL" -> "url", "ID" -> "id". A result that is a Go
// keyword gets a trailing underscore.
func Unexported(name string) string {
	runes := []rune(name)
	n := 0
	for n < len(runes) && unicode.IsUpper(runes[n]) {
		n++
	}
	switch {
	case n == 0:
	case n == 1 || n == len(runes):
		for i := 0; i < n; i++ {
			runes[i] = unicode.ToLower(runes[i])
		}
	default: // "URLPath": lower "URL" but keep the P of "Path"
		for i := 0; i < n-1; i++ {
			runes[i] = unicode.ToLower(runes[i])
		}
	}
	s := string(runes)
	if token.IsKeyword(s) {
		s += "_"
	}
	return s
}

// IsASCII reports whether a JSON name is made of printable ASCII only.
func IsASCII(name string) bool {
	for i := 0; i < len(name); i++ {
		if name[i] < 0x20 || name[i] >= 0x7f {
			return false
		}
	}
	return true
}
