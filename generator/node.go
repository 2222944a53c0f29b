package generator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/krosgen/krosgen/generator/model"
)

// node is a JSON value read with its object keys in order, so that generated
// fields follow the schema and output never depends on map iteration.
type node struct {
	src   model.Source
	kind  byte // one of 'o' object, 'a' array, 's' string, 'n' number, 'b' boolean, 'z' null
	keys  []string
	vals  map[string]*node
	elems []*node
	str   string // string value, or number literal
	b     bool
}

// get returns the value of key in an object, or nil.
func (n *node) get(key string) *node {
	if n == nil || n.kind != 'o' {
		return nil
	}
	return n.vals[key]
}

// kindName names a node's JSON type for messages.
func (n *node) kindName() string {
	switch n.kind {
	case 'o':
		return "an object"
	case 'a':
		return "an array"
	case 's':
		return "a string"
	case 'n':
		return "a number"
	case 'b':
		return "a boolean"
	}
	return "null"
}

// parseNode reads one JSON document; file names it in every node's source.
func parseNode(file string, raw []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	n, err := readNode(dec, model.Source{File: file})
	if err != nil {
		return nil, fmt.Errorf("%s: invalid JSON at byte offset %d: %v", file, dec.InputOffset(), err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%s: invalid JSON: data after the top-level value at byte offset %d", file, dec.InputOffset())
	}
	return n, nil
}

func readNode(dec *json.Decoder, src model.Source) (*node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	n := &node{src: src}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n.kind, n.vals = 'o', map[string]*node{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k := kt.(string)
				v, err := readNode(dec, child(src, k))
				if err != nil {
					return nil, err
				}
				if _, dup := n.vals[k]; !dup {
					n.keys = append(n.keys, k)
				}
				n.vals[k] = v
			}
		case '[':
			n.kind = 'a'
			for i := 0; dec.More(); i++ {
				v, err := readNode(dec, child(src, strconv.Itoa(i)))
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, v)
			}
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return nil, err
		}
	case string:
		n.kind, n.str = 's', t
	case json.Number:
		n.kind, n.str = 'n', string(t)
	case bool:
		n.kind, n.b = 'b', t
	case nil:
		n.kind = 'z'
	}
	return n, nil
}

func child(src model.Source, token string) model.Source {
	token = strings.ReplaceAll(strings.ReplaceAll(token, "~", "~0"), "/", "~1")
	return model.Source{File: src.File, Pointer: src.Pointer + "/" + token}
}

// raw renders a node as JSON text, keys in their order.
func (n *node) raw() string {
	var b strings.Builder
	n.writeRaw(&b)
	return b.String()
}

func (n *node) writeRaw(b *strings.Builder) {
	switch n.kind {
	case 'o':
		b.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			q, _ := json.Marshal(k)
			b.Write(q)
			b.WriteByte(':')
			n.vals[k].writeRaw(b)
		}
		b.WriteByte('}')
	case 'a':
		b.WriteByte('[')
		for i, e := range n.elems {
			if i > 0 {
				b.WriteByte(',')
			}
			e.writeRaw(b)
		}
		b.WriteByte(']')
	case 's':
		q, _ := json.Marshal(n.str)
		b.Write(q)
	case 'n':
		b.WriteString(n.str)
	case 'b':
		b.WriteString(strconv.FormatBool(n.b))
	default:
		b.WriteString("null")
	}
}
