package generator

import (
	"sort"

	"github.com/dave/jennifer/jen"
	"golang.org/x/tools/txtar"

	"github.com/krosgen/krosgen/schema"
)

// SchemaArchive is the file of a generated package that records the schema
// files it was generated from (a txtar archive), so that krosgen diff can
// compare a schema change against the package without git history.
const SchemaArchive = "schemas.txtar"

// digestName is the generated constant holding the schema set's digest.
const digestName = "SchemaDigest"

func init() { reserved[digestName] = true }

// emitDigest declares the digest of the schema set:
//
//	// SchemaDigest identifies the schema set this package was generated from ...
//	const SchemaDigest = "sha256:..."
func emitDigest(f *jen.File, digest string) {
	f.Comment(digestName + " identifies the schema set this package was generated from: a")
	f.Comment("SHA-256 of its files in canonical JSON, the same whatever their order")
	f.Comment("and formatting. " + SchemaArchive + " holds the files themselves.")
	f.Const().Id(digestName).Op("=").Lit(digest)
}

// digestFiles renders digest.go and the schema archive of a package.
func digestFiles(pkgName, hdr string, set *schema.Set) (map[string][]byte, error) {
	f := jen.NewFile(pkgName)
	f.HeaderComment(hdr)
	emitDigest(f, set.Digest())
	src, err := formatFile("digest.go", f)
	if err != nil {
		return nil, err
	}
	files := []schema.File{set.Envelope, set.Defs}
	for _, ev := range set.Events {
		files = append(files, ev.File)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	a := &txtar.Archive{Comment: []byte(hdr + "\nThe schema files this package was generated from; see " + digestName + ".\n")}
	for _, sf := range files {
		data := sf.Raw
		if len(data) > 0 && data[len(data)-1] != '\n' {
			data = append(append([]byte{}, data...), '\n')
		}
		a.Files = append(a.Files, txtar.File{Name: sf.Name, Data: data})
	}
	return map[string][]byte{"digest.go": src, SchemaArchive: txtar.Format(a)}, nil
}

// addDigest adds digest.go and the schema archive to the package's files.
func addDigest(files map[string][]byte, pkgName, hdr string, set *schema.Set) error {
	extra, err := digestFiles(pkgName, hdr, set)
	for name, b := range extra {
		files[name] = b
	}
	return err
}
