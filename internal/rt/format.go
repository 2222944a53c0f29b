package rt

import (
	"strings"
	"time"
	"unicode"
)

// The checkers in this file implement the JSON Schema "format" values that
// krosgen validates. They are also registered as the format checkers of the
// reference validator, so both agree by construction. They never panic and
// do not allocate (except parseDateTime for a numeric offset, which needs a
// *time.Location).

// isDateTime reports whether s is an RFC 3339 date-time, such as
// "2025-01-10T12:00:00Z". A leap second (:60) is accepted only when the time
// in UTC is 23:59:60.
func isDateTime(s string) bool {
	_, _, _, _, ok := splitDateTime(s)
	return ok
}

// parseDateTime parses an RFC 3339 date-time, accepting exactly what
// isDateTime accepts. time.Time has no leap seconds: :60 becomes the last
// nanosecond of :59, which keeps the order of instants and never moves the
// date (9999-12-31T23:59:60Z stays in year 9999, so it still marshals).
// Fractions beyond nanoseconds are truncated, "Z" gives time.UTC and a
// numeric offset gives an unnamed fixed zone.
func parseDateTime(s string) (time.Time, bool) {
	y, m, d, c, ok := splitDateTime(s)
	if !ok {
		return time.Time{}, false
	}
	loc := time.UTC
	if !c.utc {
		loc = time.FixedZone("", c.off)
	}
	sec, nsec := c.sec, c.nsec
	if sec == 60 {
		sec, nsec = 59, 999999999
	}
	return time.Date(y, time.Month(m), d, c.hour, c.min, sec, nsec, loc), true
}

// isDate reports whether s is an RFC 3339 full-date, such as "2025-01-10".
func isDate(s string) bool {
	_, _, _, ok := parseFullDate(s)
	return ok
}

// isTime reports whether s is an RFC 3339 full-time, such as "12:00:00Z".
// The offset is required; a leap second is accepted as in isDateTime.
func isTime(s string) bool {
	_, ok := parseFullTime(s)
	return ok
}

func splitDateTime(s string) (y, m, d int, c timeOfDay, ok bool) {
	if len(s) < 11 || (s[10] != 'T' && s[10] != 't') {
		return
	}
	if y, m, d, ok = parseFullDate(s[:10]); !ok {
		return
	}
	c, ok = parseFullTime(s[11:])
	return
}

// digits2 returns the number written by the two ASCII digits at s[i:i+2],
// or -1 if either is not a digit.
func digits2(s string, i int) int {
	a, b := s[i]-'0', s[i+1]-'0' // bytes below '0' wrap to large values
	if a > 9 || b > 9 {
		return -1
	}
	return int(a)*10 + int(b)
}

var monthDays = [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// parseFullDate parses s as a full-date: date-fullyear "-" date-month "-" date-mday.
func parseFullDate(s string) (y, m, d int, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return
	}
	hi, lo := digits2(s, 0), digits2(s, 2)
	m, d = digits2(s, 5), digits2(s, 8)
	if hi < 0 || lo < 0 || m < 1 || m > 12 || d < 1 {
		return
	}
	y = hi*100 + lo
	last := monthDays[m]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		last = 29
	}
	return y, m, d, d <= last
}

// timeOfDay is a parsed full-time.
type timeOfDay struct {
	hour, min, sec, nsec int
	off                  int  // seconds east of UTC
	utc                  bool // the offset was Z
}

// parseFullTime parses s as a full-time: partial-time time-offset.
func parseFullTime(s string) (c timeOfDay, ok bool) {
	if len(s) < 9 || s[2] != ':' || s[5] != ':' {
		return
	}
	c.hour, c.min, c.sec = digits2(s, 0), digits2(s, 3), digits2(s, 6)
	if c.hour < 0 || c.hour > 23 || c.min < 0 || c.min > 59 || c.sec < 0 || c.sec > 60 {
		return
	}
	i := 8
	if s[i] == '.' {
		i++
		start, scale := i, 100000000
		for i < len(s) && s[i]-'0' <= 9 {
			c.nsec += int(s[i]-'0') * scale // scale reaches 0 after nine digits: truncation
			scale /= 10
			i++
		}
		if i == start {
			return
		}
	}
	switch {
	case i == len(s):
		return
	case s[i] == 'Z' || s[i] == 'z':
		if i+1 != len(s) {
			return
		}
		c.utc = true
	case s[i] == '+' || s[i] == '-':
		if len(s)-i != 6 || s[i+3] != ':' {
			return
		}
		h, m := digits2(s, i+1), digits2(s, i+4)
		if h < 0 || h > 23 || m < 0 || m > 59 {
			return
		}
		if c.off = h*3600 + m*60; s[i] == '-' {
			c.off = -c.off
		}
	default:
		return
	}
	// Leap seconds are inserted at the end of a UTC day, so :60 is only
	// possible where the local time corresponds to 23:59 UTC.
	if c.sec == 60 && (c.hour*60+c.min-c.off/60+1440)%1440 != 23*60+59 {
		return
	}
	return c, true
}

// charset is a set of ASCII bytes.
type charset [2]uint64

func makeCharset(sets ...string) (c charset) {
	for _, s := range sets {
		for i := 0; i < len(s); i++ {
			c[s[i]/64] |= 1 << (s[i] % 64)
		}
	}
	return c
}

func (c *charset) has(b byte) bool { return b < 128 && c[b/64]&(1<<(b%64)) != 0 }

const (
	alphaBytes      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	digitBytes      = "0123456789"
	unreservedBytes = alphaBytes + digitBytes + "-._~"
	subDelimBytes   = "!$&'()*+,;="
)

// Character sets of RFC 3986 (pct-encoded is handled by validPct) and of
// the RFC 5321 atext.
var (
	schemeChars   = makeCharset(alphaBytes, digitBytes, "+-.")
	regNameChars  = makeCharset(unreservedBytes, subDelimBytes)
	userinfoChars = makeCharset(unreservedBytes, subDelimBytes, ":")
	pathChars     = makeCharset(unreservedBytes, subDelimBytes, ":@/")
	queryChars    = makeCharset(unreservedBytes, subDelimBytes, ":@/?")
	atext         = makeCharset(alphaBytes, digitBytes, "!#$%&'*+-/=?^_`{|}~")
	hexChars      = makeCharset(digitBytes, "ABCDEFabcdef")
)

// validPct reports whether s consists of bytes in set and pct-encoded
// triplets ("%" HEXDIG HEXDIG).
func validPct(s string, set *charset) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			if i+2 >= len(s) || !hexChars.has(s[i+1]) || !hexChars.has(s[i+2]) {
				return false
			}
			i += 2
		} else if !set.has(s[i]) {
			return false
		}
	}
	return true
}

// allIn reports whether every byte of s is in set.
func allIn(s string, set *charset) bool {
	for i := 0; i < len(s); i++ {
		if !set.has(s[i]) {
			return false
		}
	}
	return true
}

// isURI reports whether s is an absolute URI as defined by RFC 3986:
// scheme ":" hier-part [ "?" query ] [ "#" fragment ]. Non-ASCII
// characters must be percent-encoded.
func isURI(s string) bool {
	colon := strings.IndexByte(s, ':')
	if colon < 1 || !allIn(s[:colon], &schemeChars) || !alphaChar(s[0]) {
		return false
	}
	rest := s[colon+1:]
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		if !validPct(rest[i+1:], &queryChars) { // fragment has the query's syntax
			return false
		}
		rest = rest[:i]
	}
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		if !validPct(rest[i+1:], &queryChars) {
			return false
		}
		rest = rest[:i]
	}
	if strings.HasPrefix(rest, "//") {
		rest = rest[2:]
		end := strings.IndexByte(rest, '/')
		if end < 0 {
			end = len(rest)
		}
		if !isAuthority(rest[:end]) {
			return false
		}
		rest = rest[end:]
	}
	// Every string of pchar and "/" is one of path-abempty (after an
	// authority), path-absolute, path-rootless or path-empty: a path
	// starting with "//" was taken as an authority above.
	return validPct(rest, &pathChars)
}

func alphaChar(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }

// isAuthority reports whether a is [ userinfo "@" ] host [ ":" port ].
func isAuthority(a string) bool {
	if at := strings.IndexByte(a, '@'); at >= 0 {
		if !validPct(a[:at], &userinfoChars) {
			return false
		}
		a = a[at+1:]
	}
	var port string
	if strings.HasPrefix(a, "[") {
		end := strings.IndexByte(a, ']')
		if end < 0 || !isIPLiteral(a[1:end]) {
			return false
		}
		port = a[end+1:]
	} else {
		// IPv4address is a subset of reg-name, so it needs no check of its own.
		end := strings.IndexByte(a, ':')
		if end < 0 {
			end = len(a)
		}
		if !validPct(a[:end], &regNameChars) {
			return false
		}
		port = a[end:]
	}
	return port == "" || port[0] == ':' && allIn(port[1:], &digitChars)
}

var digitChars = makeCharset(digitBytes)

// isIPLiteral reports whether s, the text between "[" and "]", is an
// IPv6address or IPvFuture ("v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )).
func isIPLiteral(s string) bool {
	if s == "" || s[0]|0x20 != 'v' {
		return isIPv6(s)
	}
	dot := strings.IndexByte(s, '.')
	return dot > 1 && allIn(s[1:dot], &hexChars) && dot+1 < len(s) && allIn(s[dot+1:], &userinfoChars)
}

// isEmail reports whether s is an RFC 5321 Mailbox: a dot-atom or quoted
// local part of at most 64 octets, "@", and a host name or an address
// literal such as "[192.0.2.1]" or "[IPv6:2001:db8::1]".
func isEmail(s string) bool {
	at := strings.LastIndexByte(s, '@') // a domain never contains "@"
	if at < 1 || at > 64 || !(isDotString(s[:at]) || isQuotedString(s[:at])) {
		return false
	}
	domain := s[at+1:]
	if len(domain) < 2 || domain[0] != '[' || domain[len(domain)-1] != ']' {
		return isHostname(domain)
	}
	lit := domain[1 : len(domain)-1]
	if len(lit) > 5 && strings.EqualFold(lit[:5], "IPv6:") {
		return isIPv6(lit[5:])
	}
	// General-address-literal needs a tag registered with IANA, and none is.
	return isIPv4(lit)
}

// isDotString reports whether s is Atom *( "." Atom ).
func isDotString(s string) bool {
	for {
		dot := strings.IndexByte(s, '.')
		if dot < 0 {
			return s != "" && allIn(s, &atext)
		}
		if dot == 0 || !allIn(s[:dot], &atext) {
			return false
		}
		s = s[dot+1:]
	}
}

// isQuotedString reports whether s is DQUOTE *QcontentSMTP DQUOTE.
func isQuotedString(s string) bool {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		switch b := s[i]; {
		case b == '\\': // quoted-pairSMTP
			i++
			if i == len(s)-1 || s[i] < 32 || s[i] > 126 {
				return false
			}
		case b < 32 || b > 126 || b == '"':
			return false
		}
	}
	return true
}

// isHostname reports whether s is a host name as defined by RFC 1123:
// dot-separated labels of letters, digits and inner hyphens, each at most
// 63 octets, at most 253 octets in all and no trailing dot. A label
// starting with "xn--" must be a valid IDNA2008 A-label (RFC 5891), except
// that NFC and the Bidi rule (RFC 5893) are not checked: they need Unicode
// data that the standard library lacks.
func isHostname(s string) bool {
	if len(s) > 253 {
		return false
	}
	for {
		dot := strings.IndexByte(s, '.')
		if dot < 0 {
			return isLabel(s)
		}
		if !isLabel(s[:dot]) {
			return false
		}
		s = s[dot+1:]
	}
}

var ldhChars = makeCharset(alphaBytes, digitBytes, "-")

func isLabel(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' || !allIn(s, &ldhChars) {
		return false
	}
	if len(s) >= 4 && s[2] == '-' && s[3] == '-' && strings.EqualFold(s[:2], "xn") {
		return isALabel(s[4:])
	}
	// Other labels with "--" at 3-4 are reserved by RFC 5890 but valid under
	// RFC 1123 and in use, such as "r4---sn-a5mekn7s".
	return true
}

// isALabel reports whether p, an "xn--" label without that prefix, is the
// Punycode (RFC 3492) of a valid U-label (RFC 5891 section 4.2.3 and
// RFC 5892). Like DNS it ignores ASCII case.
func isALabel(p string) bool {
	var buf [63]rune
	u, ok := punycodeDecode(p, buf[:0])
	return ok && isULabel(u)
}

// punycodeDecode appends the decoding of p to out. It fails where RFC 3492
// does and also on an empty basic part with a delimiter, which no encoder
// emits, so that only canonical A-labels pass (RFC 5891 section 5.3).
func punycodeDecode(p string, out []rune) ([]rune, bool) {
	const base, tmin, tmax, skew, damp = 36, 1, 26, 38, 700
	if d := strings.LastIndexByte(p, '-'); d == 0 {
		return nil, false
	} else if d > 0 {
		for i := 0; i < d; i++ {
			out = append(out, rune(p[i]|0x20)) // lower-cases letters, keeps digits and "-"
		}
		p = p[d+1:]
	}
	// A valid i is below (MaxRune+1)*(len(out)+1), and len(out) < 60; the
	// limit also keeps the arithmetic from overflowing.
	const limit = unicode.MaxRune * 64
	n, bias, i := rune(0x80), 72, int64(0)
	for pos := 0; pos < len(p); {
		oldi, w := i, int64(1)
		for k := base; ; k += base {
			if pos == len(p) {
				return nil, false
			}
			c := p[pos]
			pos++
			var digit int64
			switch {
			case c >= '0' && c <= '9':
				digit = int64(c-'0') + 26
			case alphaChar(c):
				digit = int64(c|0x20) - 'a'
			default:
				return nil, false
			}
			if i += digit * w; i > limit {
				return nil, false
			}
			t := min(max(k-bias, tmin), tmax)
			if digit < int64(t) {
				break
			}
			w *= int64(base - t) // stays below 35*limit: i already grew by at least w/35
		}
		// Adapt the bias (RFC 3492 section 6.1).
		delta, numPoints := int(i-oldi), len(out)+1
		if oldi == 0 {
			delta /= damp
		} else {
			delta /= 2
		}
		delta += delta / numPoints
		k := 0
		for ; delta > (base-tmin)*tmax/2; k += base {
			delta /= base - tmin
		}
		bias = k + (base-tmin+1)*delta/(delta+skew)

		n += rune(i / int64(numPoints))
		at := int(i % int64(numPoints))
		if n > unicode.MaxRune || n >= 0xD800 && n <= 0xDFFF {
			return nil, false
		}
		out = append(out, 0)
		copy(out[at+1:], out[at:])
		out[at] = n
		i = int64(at) + 1
	}
	return out, true
}

// isULabel applies the U-label rules of RFC 5891 section 4.2.3 and
// RFC 5892, except NFC and the Bidi rule (see isHostname).
func isULabel(u []rune) bool {
	ascii := true
	for _, r := range u {
		ascii = ascii && r < 0x80
	}
	n := len(u)
	if ascii || u[0] == '-' || u[n-1] == '-' || n >= 4 && u[2] == '-' && u[3] == '-' ||
		unicode.Is(unicode.M, u[0]) {
		return false
	}
	for i, r := range u {
		switch idnaProperty(r) {
		case idnaPValid:
		case idnaContext:
			if !contextAllows(u, i) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

const (
	idnaDisallowed = iota
	idnaPValid
	idnaContext // CONTEXTJ or CONTEXTO
)

// idnaProperty derives the IDNA2008 property of r following RFC 5892
// section 3, with the Unicode 15.0 tables of the standard library and
// idnaUnstable. Of Default_Ignorable_Code_Point only the parts that hold
// letters or digits are needed.
func idnaProperty(r rune) int {
	switch r {
	case 0xDF, 0x3C2, 0x6FD, 0x6FE, 0xF0B, 0x3007: // Exceptions (section 2.6)
		return idnaPValid
	case 0xB7, 0x375, 0x5F3, 0x5F4, 0x30FB:
		return idnaContext
	case 0x640, 0x7FA, 0x302E, 0x302F, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303B:
		return idnaDisallowed
	case 0x200C, 0x200D: // JoiningControl
		return idnaContext
	}
	if r >= 0x660 && r <= 0x669 || r >= 0x6F0 && r <= 0x6F9 {
		return idnaContext
	}
	if r < 0x80 { // LDH; upper case was folded like DNS does
		if ldhChars.has(byte(r)) {
			return idnaPValid
		}
		return idnaDisallowed
	}
	// Cherokee is the one script whose case folding goes to upper case.
	cherokee := r >= 0x13A0 && r <= 0x13FF || r >= 0xAB70 && r <= 0xABBF
	switch {
	case !unicode.In(r, unicode.Ll, unicode.Lu, unicode.Lo, unicode.Lm, unicode.Mn, unicode.Mc, unicode.Nd):
		// Not LetterDigits, which also excludes Unassigned.
	case cherokee && unicode.ToUpper(r) != r, !cherokee && unicode.ToLower(r) != r,
		unicode.Is(idnaUnstable, r): // Unstable
	case unicode.In(r, unicode.White_Space, unicode.Noncharacter_Code_Point,
		unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector): // IgnorableProperties
	case r >= 0x20D0 && r <= 0x20FF, r >= 0x1D100 && r <= 0x1D24F: // IgnorableBlocks
	case r >= 0x1100 && r <= 0x11FF, r >= 0xA960 && r <= 0xA97F, r >= 0xD7B0 && r <= 0xD7FF: // OldHangulJamo
	default:
		return idnaPValid
	}
	return idnaDisallowed
}

// idnaUnstable holds, for Unicode 15.0, the letters and digits that are
// Unstable (NFKC_Casefold changes them) but have no simple lower-case
// mapping: compatibility and presentation forms, CJK compatibility
// ideographs and the like. Ranges may span code points that other rules
// already disallow.
var idnaUnstable = &unicode.RangeTable{
	R16: []unicode.Range16{
		{0x00AA, 0x00BA, 1}, {0x0133, 0x0133, 1}, {0x0140, 0x0140, 1}, {0x0149, 0x0149, 1},
		{0x017F, 0x017F, 1}, {0x01C6, 0x01CC, 1}, {0x01F3, 0x01F3, 1}, {0x02B0, 0x02B8, 1},
		{0x02E0, 0x02E4, 1}, {0x0340, 0x0341, 1}, {0x0343, 0x0345, 1}, {0x0374, 0x0374, 1},
		{0x037A, 0x037A, 1}, {0x03D0, 0x03D6, 1}, {0x03F0, 0x03F2, 1}, {0x03F5, 0x03F5, 1},
		{0x0587, 0x0587, 1}, {0x0675, 0x0678, 1}, {0x0958, 0x095F, 1}, {0x09DC, 0x09DF, 1},
		{0x0A33, 0x0A33, 1}, {0x0A36, 0x0A36, 1}, {0x0A59, 0x0A5B, 1}, {0x0A5E, 0x0A5E, 1},
		{0x0B5C, 0x0B5D, 1}, {0x0E33, 0x0E33, 1}, {0x0EB3, 0x0EB3, 1}, {0x0EDC, 0x0EDD, 1},
		{0x0F43, 0x0F43, 1}, {0x0F4D, 0x0F4D, 1}, {0x0F52, 0x0F52, 1}, {0x0F57, 0x0F57, 1},
		{0x0F5C, 0x0F5C, 1}, {0x0F69, 0x0F69, 1}, {0x0F73, 0x0F73, 1}, {0x0F75, 0x0F79, 1},
		{0x0F81, 0x0F81, 1}, {0x0F93, 0x0F93, 1}, {0x0F9D, 0x0F9D, 1}, {0x0FA2, 0x0FA2, 1},
		{0x0FA7, 0x0FA7, 1}, {0x0FAC, 0x0FAC, 1}, {0x0FB9, 0x0FB9, 1}, {0x10FC, 0x10FC, 1},
		{0x1C80, 0x1C88, 1}, {0x1D2C, 0x1D2E, 1}, {0x1D30, 0x1D3A, 1}, {0x1D3C, 0x1D4D, 1},
		{0x1D4F, 0x1D6A, 1}, {0x1D78, 0x1D78, 1}, {0x1D9B, 0x1DBF, 1}, {0x1E9A, 0x1E9B, 1},
		{0x1F71, 0x1F71, 1}, {0x1F73, 0x1F73, 1}, {0x1F75, 0x1F75, 1}, {0x1F77, 0x1F77, 1},
		{0x1F79, 0x1F79, 1}, {0x1F7B, 0x1F7B, 1}, {0x1F7D, 0x1FA7, 1}, {0x1FB2, 0x1FB4, 1},
		{0x1FB7, 0x1FC4, 1}, {0x1FC7, 0x1FC7, 1}, {0x1FD3, 0x1FD3, 1}, {0x1FE3, 0x1FE3, 1},
		{0x1FF2, 0x1FF4, 1}, {0x1FF7, 0x2149, 1}, {0x2C7C, 0x2C7D, 1}, {0x2D6F, 0x2D6F, 1},
		{0x309F, 0x309F, 1}, {0x30FF, 0x30FF, 1}, {0x3131, 0x318E, 1}, {0xA69C, 0xA69D, 1},
		{0xA770, 0xA770, 1}, {0xA7F2, 0xA7F4, 1}, {0xA7F8, 0xA7F9, 1}, {0xAB5C, 0xAB5F, 1},
		{0xAB69, 0xAB69, 1}, {0xF900, 0xFA0D, 1}, {0xFA10, 0xFA10, 1}, {0xFA12, 0xFA12, 1},
		{0xFA15, 0xFA1E, 1}, {0xFA20, 0xFA20, 1}, {0xFA22, 0xFA22, 1}, {0xFA25, 0xFA26, 1},
		{0xFA2A, 0xFB1D, 1}, {0xFB1F, 0xFDFB, 1}, {0xFE70, 0xFE72, 1}, {0xFE74, 0xFFDC, 1},
	},
	R32: []unicode.Range32{
		{0x10781, 0x107BA, 1}, {0x1D400, 0x1D7FF, 1}, {0x1E030, 0x1E06D, 1},
		{0x1EE00, 0x1FBF9, 1}, {0x2F800, 0x2FA1D, 1},
	},
	LatinOffset: 1,
}

// viramas lists the characters of Canonical_Combining_Class Virama (9) in
// Unicode 15.0, on which the CONTEXTJ rules depend.
var viramas = [...]rune{
	0x94D, 0x9CD, 0xA4D, 0xACD, 0xB4D, 0xBCD, 0xC4D, 0xCCD, 0xD3B, 0xD3C,
	0xD4D, 0xDCA, 0xE3A, 0xEBA, 0xF84, 0x1039, 0x103A, 0x1714, 0x1715, 0x1734,
	0x17D2, 0x1A60, 0x1B44, 0x1BAA, 0x1BAB, 0x1BF2, 0x1BF3, 0x2D7F, 0xA806, 0xA82C,
	0xA8C4, 0xA953, 0xA9C0, 0xAAF6, 0xABED, 0x10A3F, 0x11046, 0x11070, 0x1107F, 0x110B9,
	0x11133, 0x11134, 0x111C0, 0x11235, 0x112EA, 0x1134D, 0x11442, 0x114C2, 0x115BF, 0x1163F,
	0x116B6, 0x1172B, 0x11839, 0x1193D, 0x1193E, 0x119E0, 0x11A34, 0x11A47, 0x11A99, 0x11C3F,
	0x11D44, 0x11D45, 0x11D97, 0x11F41, 0x11F42,
}

func isVirama(r rune) bool {
	for _, v := range viramas {
		if r == v {
			return true
		}
	}
	return false
}

// contextAllows applies the CONTEXTJ and CONTEXTO rules of RFC 5892
// appendix A to u[i].
func contextAllows(u []rune, i int) bool {
	r := u[i]
	var before, after rune = -1, -1
	if i > 0 {
		before = u[i-1]
	}
	if i+1 < len(u) {
		after = u[i+1]
	}
	switch {
	case r == 0x200D: // ZERO WIDTH JOINER
		return isVirama(before)
	case r == 0x200C: // ZERO WIDTH NON-JOINER
		if isVirama(before) {
			return true
		}
		// (Joining_Type:{L,D})(Joining_Type:T)* ZWNJ (Joining_Type:T)*(Joining_Type:{R,D})
		j, k := i-1, i+1
		for j >= 0 && isJoiningT(u[j]) {
			j--
		}
		for k < len(u) && isJoiningT(u[k]) {
			k++
		}
		return j >= 0 && k < len(u) && isJoiningD(u[j]) && isJoiningD(u[k])
	case r == 0xB7: // MIDDLE DOT
		return before == 'l' && after == 'l'
	case r == 0x375: // GREEK LOWER NUMERAL SIGN (KERAIA)
		return unicode.Is(unicode.Greek, after)
	case r == 0x5F3 || r == 0x5F4: // HEBREW PUNCTUATION GERESH and GERSHAYIM
		return unicode.Is(unicode.Hebrew, before)
	case r == 0x30FB: // KATAKANA MIDDLE DOT
		for _, c := range u {
			if unicode.In(c, unicode.Hiragana, unicode.Katakana, unicode.Han) {
				return true
			}
		}
		return false
	}
	// ARABIC-INDIC DIGITS and EXTENDED ARABIC-INDIC DIGITS must not mix.
	lo, hi := rune(0x6F0), rune(0x6F9)
	if r >= 0x6F0 {
		lo, hi = 0x660, 0x669
	}
	for _, c := range u {
		if c >= lo && c <= hi {
			return false
		}
	}
	return true
}

// isJoiningT approximates Joining_Type T (transparent) by general category,
// as ArabicShaping.txt does for characters it does not list.
func isJoiningT(r rune) bool { return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) }

// isJoiningD approximates "Joining_Type L, D or R" by the letters of the
// cursive scripts: without the Unicode joining data, right-joining letters
// such as ALEF are taken as dual-joining.
func isJoiningD(r rune) bool {
	return unicode.IsLetter(r) && unicode.In(r, unicode.Arabic, unicode.Syriac, unicode.Nko,
		unicode.Mandaic, unicode.Mongolian, unicode.Phags_Pa, unicode.Manichaean,
		unicode.Psalter_Pahlavi, unicode.Adlam, unicode.Hanifi_Rohingya, unicode.Sogdian,
		unicode.Old_Uyghur, unicode.Chorasmian)
}

// isIPv4 reports whether s is a dotted-decimal IPv4 address, four decimal
// octets 0-255 without leading zeros (RFC 3986 IPv4address).
func isIPv4(s string) bool {
	for k := 0; k < 4; k++ {
		if k > 0 {
			if s == "" || s[0] != '.' {
				return false
			}
			s = s[1:]
		}
		n, i := 0, 0
		for ; i < len(s) && i < 3 && s[i]-'0' <= 9; i++ {
			n = n*10 + int(s[i]-'0')
		}
		if i == 0 || n > 255 || i > 1 && s[0] == '0' {
			return false
		}
		s = s[i:]
	}
	return s == ""
}

// isIPv6 reports whether s is an IPv6 address in the text form of RFC 4291
// section 2.2 (RFC 3986 IPv6address), without brackets or zone.
func isIPv6(s string) bool {
	groups, gap := 0, false // 16-bit pieces written; "::" seen
	if strings.HasPrefix(s, "::") {
		gap, s = true, s[2:]
	}
	for s != "" {
		i := 0
		for i < len(s) && i < 5 && hexChars.has(s[i]) {
			i++
		}
		if i < len(s) && s[i] == '.' { // ls32 as an IPv4 address ends the address
			if !isIPv4(s) {
				return false
			}
			groups += 2
			break
		}
		if i == 0 || i > 4 {
			return false
		}
		groups++
		s = s[i:]
		switch {
		case s == "":
		case strings.HasPrefix(s, "::"):
			if gap {
				return false
			}
			gap, s = true, s[2:]
		case s[0] == ':' && len(s) > 1:
			s = s[1:]
		default:
			return false
		}
	}
	if gap {
		return groups <= 7 // "::" stands for at least one group
	}
	return groups == 8
}

// isUUID reports whether s is a UUID in the hyphenated hex form of RFC 9562,
// such as "2eb8aa08-aa98-11ea-b4aa-73b441d16380", in any case, version and
// variant.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if s[i] != '-' {
				return false
			}
		} else if !hexChars.has(s[i]) {
			return false
		}
	}
	return true
}
