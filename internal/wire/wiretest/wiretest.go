// Package wiretest holds the tests every client package runs on its wire
// types: that wire.Decode's fast path takes the vendor's example answers,
// and that it never decides differently from encoding/json.
package wiretest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/orderkit/orderkit/internal/wire"
)

// Type is one wire type of a client package's answers.
type Type struct {
	Name string
	New  func() any
	// Fixtures are the files in testdata/ the fast path must take whole,
	// without handing them to encoding/json: the vendor's own examples.
	Fixtures []string
}

// Fixtures decodes every testdata/*.json into every type and checks it
// with wire.CheckDecode; each type's Fixtures must take the fast path.
func Fixtures(t *testing.T, types []Type) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/*.json: %v", err)
	}
	for _, ty := range types {
		must := map[string]bool{}
		for _, f := range ty.Fixtures {
			must[f] = true
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			fast, err := wire.CheckDecode(b, ty.New)
			if err != nil {
				t.Errorf("%s into %s: %v", f, ty.Name, err)
			}
			name := filepath.Base(f)
			if must[name] && !fast {
				t.Errorf("%s into %s left the fast path", name, ty.Name)
			}
			delete(must, name)
		}
		for f := range must {
			t.Errorf("fixture %s of %s is missing", f, ty.Name)
		}
	}
}

// Fuzz runs f over every testdata/*.json as seeds, holding the fast path
// to encoding/json on every type.
func Fuzz(f *testing.F, types []Type) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, ty := range types {
			if _, err := wire.CheckDecode(b, ty.New); err != nil {
				t.Fatalf("%s: %v", ty.Name, err)
			}
		}
	})
}
