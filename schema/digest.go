package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
)

// Digest hashes a schema set, file name → content, into
// "sha256:<hex>". The hash covers each file's name and its JSON in canonical
// form (keys sorted, no insignificant space), so it does not change with the
// order the files are listed or read in, nor with their formatting.
// webhook.json, derived from the event files, is left out. A file that is
// not JSON is hashed as written.
func Digest(files map[string][]byte) string {
	names := make([]string, 0, len(files))
	for name := range files {
		if name != WebhookFile {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	h := sha256.New()
	for _, name := range names {
		body := files[name]
		if v, err := decodeJSON(files[name]); err == nil {
			if b, err := json.Marshal(v); err == nil {
				body = b
			}
		}
		// Length prefixes keep the (name, body) pairs apart.
		var n [8]byte
		for _, part := range [][]byte{[]byte(name), body} {
			l := len(part)
			for i := range n {
				n[i] = byte(l >> (8 * i))
			}
			h.Write(n[:])
			h.Write(part)
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// Digest is the digest of the set's files (see the function Digest).
func (s *Set) Digest() string {
	files := map[string][]byte{s.Envelope.Name: s.Envelope.Raw, s.Defs.Name: s.Defs.Raw}
	for _, ev := range s.Events {
		files[ev.Name] = ev.Raw
	}
	return Digest(files)
}
