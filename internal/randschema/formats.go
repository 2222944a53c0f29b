package randschema

// formats lists the formats the generator implements, each with values
// that are valid and values that are not (or are only just valid).
var formats = map[string]struct{ valid, invalid []string }{
	"date-time": {
		valid:   []string{"2025-01-10T12:00:00Z", "2025-01-10T12:00:00.123+01:00", "1999-12-31T23:59:59-08:00", "2024-02-29T00:00:00z"},
		invalid: []string{"2025-01-10 12:00:00Z", "2025-13-01T00:00:00Z", "2025-01-10T12:00:00", "2025-02-29T00:00:00Z", "2025-01-10T24:00:00Z", "2025-12-31T23:59:60Z"},
	},
	"date": {
		valid:   []string{"2025-01-10", "2024-02-29", "0001-01-01"},
		invalid: []string{"2025-1-10", "2025-02-29", "20250110", "2025-01-10T00:00:00Z"},
	},
	"time": {
		valid:   []string{"12:00:00Z", "23:59:59.5+02:00", "00:00:00-00:00"},
		invalid: []string{"12:00:00", "24:00:00Z", "12:00Z", "12:00:00+25:00"},
	},
	"uri": {
		valid:   []string{"https://example.com/a?b=c#d", "urn:isbn:0451450523", "mailto:a@example.com", "http://[::1]:80/"},
		invalid: []string{"/relative/path", "not a uri", "https://example.com/a b", "http://[::1"},
	},
	"email": {
		valid:   []string{"a@example.com", "first.last+tag@sub.example.org", `"quoted"@example.com`},
		invalid: []string{"plain", "a@", "@example.com", "a@@example.com", "a b@example.com"},
	},
	"hostname": {
		valid:   []string{"example.com", "a-b.c", "localhost", "xn--nxasmq6b.com"},
		invalid: []string{"-bad.com", "a..b", "under_score.com", "exa mple.com"},
	},
	"ipv4": {
		valid:   []string{"192.168.0.1", "0.0.0.0", "255.255.255.255"},
		invalid: []string{"256.1.1.1", "1.2.3", "01.2.3.4", "1.2.3.4.5"},
	},
	"ipv6": {
		valid:   []string{"::1", "2001:db8::1", "fe80::1:2:3:4", "::ffff:192.168.0.1"},
		invalid: []string{"1:2:3:4:5:6:7:8:9", "::g", "1::2::3", "192.168.0.1"},
	},
	"uuid": {
		valid:   []string{"123e4567-e89b-12d3-a456-426614174000", "00000000-0000-0000-0000-000000000000", "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE"},
		invalid: []string{"123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456-42661417400", "g23e4567-e89b-12d3-a456-426614174000"},
	},
}

// formatNames lists the keys of formats in a fixed order.
var formatNames = []string{"date-time", "date", "time", "uri", "email", "hostname", "ipv4", "ipv6", "uuid"}
