package support

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// docCategories are the categories of the documented event types.
var docCategories = []string{"call", "phone_number", "endpoint", "recording", "transcript", "port_request", "balance", "payment"}

func TestPattern_Categories(t *testing.T) {
	require.Equal(t, docCategories, knownCategories())
	for _, cat := range docCategories {
		t.Run(cat, func(t *testing.T) {
			pattern := cat + ".*"
			require.NoError(t, ValidatePattern(pattern))
			got, err := Expand(pattern)
			require.NoError(t, err)
			require.NotEmpty(t, got)
			var want []EventType
			for _, et := range EventTypes() {
				if strings.HasPrefix(string(et), cat+".") {
					want = append(want, et)
				}
			}
			require.Equal(t, want, got)
			for _, et := range EventTypes() {
				require.Equal(t, strings.HasPrefix(string(et), cat+"."), Match(pattern, et), "Match(%q, %q)", pattern, et)
			}
		})
	}
}

func TestPattern_CallCategoryDocOrder(t *testing.T) {
	got, err := Expand("call.*")
	require.NoError(t, err)
	require.Equal(t, []EventType{"call.initiated", "call.ringing", "call.answered", "call.completed", "call.failed"}, got)
	got, err = Expand("phone_number.*")
	require.NoError(t, err)
	require.Equal(t, []EventType{"phone_number.purchased", "phone_number.released", "phone_number.updated"}, got)
}

func TestPattern_All(t *testing.T) {
	require.NoError(t, ValidatePattern("*"))
	got, err := Expand("*")
	require.NoError(t, err)
	require.Equal(t, EventTypes(), got)
	require.Len(t, got, 18)
	require.True(t, Match("*", "call.transferred"))
	require.True(t, Match("*", "billing.refunded"))
}

func TestPattern_Exact(t *testing.T) {
	for _, et := range EventTypes() {
		p := string(et)
		require.NoError(t, ValidatePattern(p))
		got, err := Expand(p)
		require.NoError(t, err)
		require.Equal(t, []EventType{et}, got)
		for _, other := range EventTypes() {
			require.Equal(t, other == et, Match(p, other), "Match(%q, %q)", p, other)
		}
	}
}

func TestPattern_UnknownWellFormed(t *testing.T) {
	// Match is string semantics: a well-formed pattern for a type the
	// package does not know still matches events of that type ...
	require.True(t, Match("call.transferred", "call.transferred"))
	require.True(t, Match("call.*", "call.transferred"))
	require.True(t, Match("billing.*", "billing.refunded"))
	require.False(t, Match("call.transferred", "call.completed"))
	require.False(t, Match("call.*", "callx.completed"))
	require.False(t, Match("call.*", "call."))
	require.False(t, Match("call.*", "call"))
	// ... while ValidatePattern and Expand are strict.
	for _, p := range []string{"call.transferred", "foo.*", "foo.bar", "billing.refunded"} {
		err := ValidatePattern(p)
		require.Error(t, err, p)
		var pe *PatternError
		require.True(t, errors.As(err, &pe))
		require.Equal(t, p, pe.Pattern)
		got, err := Expand(p)
		require.Error(t, err)
		require.Nil(t, got)
	}
	require.ErrorContains(t, ValidatePattern("foo.*"), `unknown category "foo"`)
	require.ErrorContains(t, ValidatePattern("foo.*"), "phone_number")
	require.ErrorContains(t, ValidatePattern("call.transferred"), "call.completed")
}

func TestPattern_Malformed(t *testing.T) {
	cases := map[string]string{
		"":                  "empty",
		"call.":             "missing event name",
		".*":                "missing category",
		"call.**":           `"*" may appear only`,
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
			err := ValidatePattern(p)
			require.Error(t, err)
			var pe *PatternError
			require.True(t, errors.As(err, &pe))
			require.ErrorContains(t, err, want)
			require.False(t, Match(p, "call.completed"))
			require.False(t, Match(p, EventType(p)))
			_, err = Expand(p)
			require.Error(t, err)
		})
	}
}
