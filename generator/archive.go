package generator

import (
	"sort"

	"golang.org/x/tools/txtar"

	"github.com/krosgen/krosgen/schema"
)

// SchemaArchive is the file of a generated package that records the schema
// files it was generated from (a txtar archive), so that krosgen diff can
// compare a schema change against the package without git history.
const SchemaArchive = "schemas.txtar"

// schemaArchive renders the schema archive of a package: its schema files,
// by name, each ending in a newline.
func schemaArchive(hdr string, set *schema.Set) []byte {
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
	return txtar.Format(a)
}
