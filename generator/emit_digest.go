package generator

import (
	"github.com/dave/jennifer/jen"

	"github.com/krosgen/krosgen/generator/model"
)

// digestName is the generated constant holding the schema set's digest.
const digestName = "SchemaDigest"

func init() { reserved[digestName] = true }

// emitDigest declares the digest of the schema set:
//
//	// SchemaDigest identifies the schema set this package was generated from ...
//	const SchemaDigest = "sha256:..."
func emitDigest(f *jen.File, pkg *model.Package) {
	f.Comment(digestName + " identifies the schema set this package was generated from: a")
	f.Comment("SHA-256 of its files in canonical JSON, the same whatever their order")
	f.Comment("and formatting. " + SchemaArchive + " holds the files themselves.")
	f.Const().Id(digestName).Op("=").Lit(pkg.Digest)
}
