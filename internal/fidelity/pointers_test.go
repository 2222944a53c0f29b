package fidelity

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// TestParsePointersResolve checks the pointers Parse reports against the
// payload itself, an oracle independent of the reference validator (which
// cannot catch a mistake both make): a type problem ("expected string, but
// got number") must point at a value of the kind it names, and a missing
// required property at an absent member of an object that is there.
// Payloads are read as JSON Schema reads them, the last of repeated keys
// winning.
func TestParsePointersResolve(t *testing.T) {
	rs, _ := differentialResults(t)
	var out []result
	checked := 0
	for _, r := range rs {
		if r.parse.outcome != rejected {
			continue
		}
		doc, err := decodeAny(r.payload.Data)
		if err != nil {
			continue
		}
		for _, p := range r.parse.problems {
			checked++
			if f := pointerProblem(doc, p); f != nil {
				out = append(out, withFinding(r, f))
				break
			}
		}
	}
	shared.pointerFindings = out
	t.Logf("%d problems of %d payloads Parse rejects checked against the payload", checked, countOutcome(rs, rejected))
	if len(out) > 0 {
		t.Errorf("Parse reports pointers that do not lead to the value described, in %d payloads.\n%s", len(out), reportFindings(out, 20, bothVerdicts))
	}
}

func countOutcome(rs []result, o outcome) int {
	n := 0
	for _, r := range rs {
		if r.parse.outcome == o {
			n++
		}
	}
	return n
}

// pointerProblem checks one problem against doc; nil when it holds or the
// message is of a kind this oracle does not know.
func pointerProblem(doc any, p problem) *finding {
	if _, got, ok := strings.Cut(p.message, ", but got "); ok && strings.HasPrefix(p.message, "expected ") {
		v, found := resolve(doc, p.pointer)
		switch {
		case !found:
			return newFinding("pointer-does-not-resolve/type-problem", strconv.Quote(p.pointer)+" does not exist; the problem: "+p.message)
		case kindName(v) != got:
			return newFinding("pointer-does-not-resolve/type-problem", strconv.Quote(p.pointer)+" holds "+article(kindName(v))+"; the problem: "+p.message)
		}
		return nil
	}
	if p.message == "required property is missing" {
		i := strings.LastIndexByte(p.pointer, '/')
		if i < 0 {
			return newFinding("pointer-does-not-resolve/required-property", strconv.Quote(p.pointer)+" is not a member pointer")
		}
		parent, found := resolve(doc, p.pointer[:i])
		obj, isObj := parent.(map[string]any)
		if !found || !isObj {
			return newFinding("pointer-does-not-resolve/required-property", "the parent of "+strconv.Quote(p.pointer)+" is not an object")
		}
		if _, present := obj[unescapeToken(p.pointer[i+1:])]; present {
			return newFinding("pointer-does-not-resolve/required-property", strconv.Quote(p.pointer)+" is present")
		}
	}
	return nil
}

// resolve evaluates an RFC 6901 JSON pointer on a decoded document.
func resolve(doc any, pointer string) (any, bool) {
	if pointer == "" {
		return doc, true
	}
	if pointer[0] != '/' {
		return nil, false
	}
	v := doc
	for _, tok := range strings.Split(pointer[1:], "/") {
		tok = unescapeToken(tok)
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[tok]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) || strconv.Itoa(i) != tok {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

func unescapeToken(tok string) string {
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
}

// kindName is the JSON Schema name of a decoded value's type.
func kindName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "?"
}

func article(kind string) string {
	if strings.ContainsRune("aeiou", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}
