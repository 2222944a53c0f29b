// Package schema holds the JSON Schemas (draft 2020-12) of every documented
// KrosAI webhook event, the single source of truth krosgen generates from,
// and a reference validator built on github.com/santhosh-tekuri/jsonschema/v5.
package schema

import (
	"embed"
	"io/fs"
	"sync"
)

//go:embed envelope.json defs.json webhook.json events/*.json
var bundled embed.FS

// FS returns the bundled schema directory.
func FS() fs.FS { return bundled }

var (
	defaultOnce sync.Once
	defaultSet  *Set
	defaultErr  error
)

// Default returns the bundled schemas, loaded and compiled once.
func Default() (*Set, error) {
	defaultOnce.Do(func() { defaultSet, defaultErr = Load(bundled, "schema") })
	return defaultSet, defaultErr
}

// Validate validates one payload against the bundled webhook.json.
// See (*Set).Validate.
func Validate(payload []byte) error {
	s, err := Default()
	if err != nil {
		return err
	}
	return s.Validate(payload)
}
