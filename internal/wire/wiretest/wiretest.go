// Package wiretest holds the tests every client package runs on its wire
// types: that the vendor's example answers decode into them through
// encoding/json, and that no input makes one of their leaves panic.
package wiretest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// Type is one wire type of a client package's answers.
type Type struct {
	Name string
	New  func() any
	// Fixtures are the files in testdata/ that must decode into the type
	// without an error: the vendor's own examples of that answer.
	Fixtures []string
}

// Fixtures decodes every testdata/*.json into every type with
// json.Unmarshal. Each type's Fixtures must decode without an error; the
// other files may fail, but never panic.
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
			name := filepath.Base(f)
			err = json.Unmarshal(b, ty.New())
			if must[name] && err != nil {
				t.Errorf("%s into %s: %v", name, ty.Name, err)
			}
			delete(must, name)
		}
		for f := range must {
			t.Errorf("fixture %s of %s is missing", f, ty.Name)
		}
	}
}

// Fuzz runs f over every testdata/*.json as seeds, decoding each input
// into every type with json.Unmarshal: an error is fine, a panic is not.
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
			_ = json.Unmarshal(b, ty.New())
		}
	})
}
