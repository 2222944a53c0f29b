package schema

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// reformat rewrites a JSON document with other indentation and its object
// keys in reverse order: the same JSON, written differently.
func reformat(t *testing.T, raw []byte) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var write func(v any)
	write = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			for i, j := 0, len(keys)-1; i < j; i, j = i+1, j-1 {
				keys[i], keys[j] = keys[j], keys[i]
			}
			b.WriteString("{\n\t")
			for i, k := range keys {
				if i > 0 {
					b.WriteString(" ,\n\t")
				}
				kb, _ := json.Marshal(k)
				b.Write(kb)
				b.WriteString(" : ")
				write(x[k])
			}
			b.WriteString("\n}")
		default:
			vb, _ := json.Marshal(x)
			b.Write(vb)
		}
	}
	write(v)
	return []byte(b.String())
}

func bundledFiles(t *testing.T) map[string][]byte {
	t.Helper()
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{set.Envelope.Name: set.Envelope.Raw, set.Defs.Name: set.Defs.Raw}
	for _, ev := range set.Events {
		files[ev.Name] = ev.Raw
	}
	return files
}

func TestDigest_IgnoresFormattingKeyOrderAndWebhookJSON(t *testing.T) {
	files := bundledFiles(t)
	want := Digest(files)
	if !strings.HasPrefix(want, "sha256:") || len(want) != len("sha256:")+64 {
		t.Fatalf("digest %q is not sha256:<64 hex digits>", want)
	}
	set, _ := Default()
	if got := set.Digest(); got != want {
		t.Errorf("Set.Digest %s, Digest of the same files %s", got, want)
	}
	other := map[string][]byte{WebhookFile: []byte(`{"anything": 1}`)}
	for name, b := range files {
		other[name] = reformat(t, b)
		if bytes.Equal(other[name], b) {
			t.Fatalf("%s: reformat changed nothing", name)
		}
	}
	if got := Digest(other); got != want {
		t.Errorf("reformatted files (and a webhook.json): digest %s, want %s", got, want)
	}
}

func TestDigest_ChangesWithAnyValueOrFileName(t *testing.T) {
	files := bundledFiles(t)
	base := Digest(files)
	seen := map[string]string{base: "the bundled schemas"}
	try := func(what string, edited map[string][]byte) {
		t.Helper()
		d := Digest(edited)
		if prev, dup := seen[d]; dup {
			t.Errorf("%s: same digest as %s", what, prev)
		}
		seen[d] = what
	}
	for name, b := range files {
		edited := map[string][]byte{}
		for k, v := range files {
			edited[k] = v
		}
		// One character of one string value changed: a different schema.
		i := bytes.Index(b, []byte(`"description": "`))
		if i < 0 {
			continue
		}
		c := append([]byte{}, b...)
		c[i+len(`"description": "`)] ^= 0x20
		edited[name] = c
		try("a description of "+name, edited)
		renamed := map[string][]byte{}
		for k, v := range files {
			renamed[k] = v
		}
		delete(renamed, name)
		renamed["x"+name] = b
		try(name+" renamed", renamed)
	}
}
