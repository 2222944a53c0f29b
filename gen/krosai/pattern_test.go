package krosai_test

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/krosgen/krosgen/gen/krosai"
)

// category returns the part of an event type before its first ".".
func category(et krosai.EventType) string {
	c, _, _ := strings.Cut(string(et), ".")
	return c
}

// categories returns the categories of krosai.EventTypes(), in order of
// first appearance.
func categories() []string {
	var out []string
	for _, et := range krosai.EventTypes() {
		if c := category(et); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// docEventTypes reads the event types documented in the KrosAI events page
// (the copy in ../../schema/testdata): the "### <type>" headings.
func docEventTypes(t *testing.T) []krosai.EventType {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "schema", "testdata", "krosai-webhook-events.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []krosai.EventType
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if name, ok := strings.CutPrefix(sc.Text(), "### "); ok && strings.Contains(name, ".") {
			out = append(out, krosai.EventType(strings.ReplaceAll(name, `\_`, "_")))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPattern_EventTypesAreTheDocumentedOnes(t *testing.T) {
	if got, want := krosai.EventTypes(), docEventTypes(t); !reflect.DeepEqual(got, want) {
		t.Fatalf("EventTypes() = %q\ndocumented:    %q", got, want)
	}
	cats := categories()
	if len(cats) != 8 {
		t.Fatalf("categories %q: the docs have 8 (call, phone_number, endpoint, recording, transcript, port_request, balance, payment)", cats)
	}
	for _, et := range krosai.EventTypes() {
		if !et.Known() {
			t.Errorf("%s.Known() = false", et)
		}
	}
}

func TestPattern_Categories(t *testing.T) {
	for _, cat := range categories() {
		t.Run(cat, func(t *testing.T) {
			pattern := cat + ".*"
			if err := krosai.ValidatePattern(pattern); err != nil {
				t.Fatal(err)
			}
			got, err := krosai.Expand(pattern)
			if err != nil {
				t.Fatal(err)
			}
			var want []krosai.EventType
			for _, et := range krosai.EventTypes() {
				if category(et) == cat {
					want = append(want, et)
				}
			}
			if len(got) == 0 || !reflect.DeepEqual(got, want) {
				t.Fatalf("Expand(%q) = %q, want %q", pattern, got, want)
			}
			for _, et := range krosai.EventTypes() {
				if got, want := krosai.Match(pattern, et), category(et) == cat; got != want {
					t.Errorf("Match(%q, %q) = %v, want %v", pattern, et, got, want)
				}
			}
			// An event of this category that the package does not know
			// matches too: Match is string matching.
			if !krosai.Match(pattern, krosai.EventType(cat+".added_later")) {
				t.Errorf("Match(%q, %q) = false", pattern, cat+".added_later")
			}
		})
	}
}

// TestPattern_DocumentedWildcards checks the wildcards named in the docs'
// "Event Wildcards" section.
func TestPattern_DocumentedWildcards(t *testing.T) {
	got, err := krosai.Expand("call.*")
	mustNoErr(t, err)
	if want := []krosai.EventType{krosai.EventCallInitiated, krosai.EventCallRinging, krosai.EventCallAnswered, krosai.EventCallCompleted, krosai.EventCallFailed}; !reflect.DeepEqual(got, want) {
		t.Errorf("Expand(call.*) = %q, want %q", got, want)
	}
	got, err = krosai.Expand("phone_number.*")
	mustNoErr(t, err)
	if want := []krosai.EventType{krosai.EventPhoneNumberPurchased, krosai.EventPhoneNumberReleased, krosai.EventPhoneNumberUpdated}; !reflect.DeepEqual(got, want) {
		t.Errorf("Expand(phone_number.*) = %q, want %q", got, want)
	}
}

func TestPattern_All(t *testing.T) {
	mustNoErr(t, krosai.ValidatePattern("*"))
	got, err := krosai.Expand("*")
	mustNoErr(t, err)
	if !reflect.DeepEqual(got, krosai.EventTypes()) || len(got) != 18 {
		t.Fatalf("Expand(*) = %q", got)
	}
	for _, et := range append(krosai.EventTypes(), "call.transferred", "billing.refunded") {
		if !krosai.Match("*", et) {
			t.Errorf("Match(*, %q) = false", et)
		}
	}
}

func TestPattern_Exact(t *testing.T) {
	for _, et := range krosai.EventTypes() {
		p := string(et)
		mustNoErr(t, krosai.ValidatePattern(p))
		got, err := krosai.Expand(p)
		mustNoErr(t, err)
		if !reflect.DeepEqual(got, []krosai.EventType{et}) {
			t.Errorf("Expand(%q) = %q", p, got)
		}
		for _, other := range krosai.EventTypes() {
			if got := krosai.Match(p, other); got != (other == et) {
				t.Errorf("Match(%q, %q) = %v", p, other, got)
			}
		}
	}
}

func TestPattern_UnknownWellFormed(t *testing.T) {
	// Match is string matching: a well-formed pattern for a type the
	// package does not know still matches events of that type ...
	for _, tc := range []struct {
		pattern string
		et      krosai.EventType
		want    bool
	}{
		{"call.transferred", "call.transferred", true},
		{"call.*", "call.transferred", true},
		{"billing.*", "billing.refunded", true},
		{"call.transferred", krosai.EventCallCompleted, false},
		{"call.*", "callx.completed", false},
		{"call.*", "call.", false},
		{"call.*", "call", false},
		{"call.*", "phone_number.updated", false},
	} {
		if got := krosai.Match(tc.pattern, tc.et); got != tc.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tc.pattern, tc.et, got, tc.want)
		}
	}
	// ... while ValidatePattern and Expand are strict.
	for _, p := range []string{"call.transferred", "foo.*", "foo.bar", "billing.refunded", "call.complete"} {
		err := krosai.ValidatePattern(p)
		var pe *krosai.PatternError
		if !errors.As(err, &pe) || pe.Pattern != p {
			t.Errorf("ValidatePattern(%q) = %v, want a *PatternError for it", p, err)
		}
		if got, err := krosai.Expand(p); err == nil || got != nil {
			t.Errorf("Expand(%q) = %q, %v", p, got, err)
		}
	}
	// The errors list the alternatives.
	for p, wants := range map[string][]string{
		"foo.*":            {`unknown category "foo"`, "phone_number", "port_request"},
		"call.transferred": {"unknown event type", string(krosai.EventCallCompleted)},
		"call.complete":    {string(krosai.EventCallCompleted)},
	} {
		err := krosai.ValidatePattern(p)
		for _, want := range wants {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("ValidatePattern(%q) = %v, want it to mention %q", p, err, want)
			}
		}
	}
}

func TestPattern_Malformed(t *testing.T) {
	cases := map[string]string{
		"":                  "empty",
		"call.":             "missing event name",
		".*":                "missing category",
		"call.**":           `"*" may appear only`,
		"foo.*":             `unknown category "foo"`, // well-formed, but no such category
		"*.*":               "single category",
		"call.*.*":          "single category",
		"call":              `"call.*"`,
		"Call":              "invalid character",
		".call":             "missing category",
		"call..completed":   "empty name between",
		"call.comp*":        `"*" may appear only`,
		"**":                `"*" may appear only`,
		" call.*":           "whitespace",
		"call.completed ":   "whitespace",
		"call.\tcompleted":  "whitespace",
		"Call.completed":    "invalid character",
		"call.Completed":    "invalid character",
		"call-x.*":          "invalid character",
		"_call.*":           "invalid character",
		"call.completed\n":  "whitespace",
		"call.compl\x00ted": "invalid character",
		"\xff.*":            "UTF-8",
	}
	for p, want := range cases {
		t.Run(p, func(t *testing.T) {
			err := krosai.ValidatePattern(p)
			var pe *krosai.PatternError
			if !errors.As(err, &pe) {
				t.Fatalf("ValidatePattern(%q) = %v, want a *PatternError", p, err)
			}
			if pe.Pattern != p || !strings.Contains(err.Error(), want) {
				t.Errorf("ValidatePattern(%q) = %v, want it to mention %q", p, err, want)
			}
			if got, err := krosai.Expand(p); err == nil || got != nil {
				t.Errorf("Expand(%q) = %q, %v", p, got, err)
			}
			if p == "foo.*" {
				return // well-formed: Match applies it as a string
			}
			for _, et := range append(krosai.EventTypes(), krosai.EventType(p)) {
				if krosai.Match(p, et) {
					t.Errorf("malformed pattern %q matches %q", p, et)
				}
			}
		})
	}
}
