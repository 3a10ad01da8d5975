package inventorum

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/orderkit/orderkit/internal/wire"
)

// The answers' wire types, each with the fixtures it reads.
var fastTypes = []struct {
	name string
	newV func() any
	// fixtures the fast path must take whole (no fallback to
	// encoding/json): the vendor's own examples.
	fixtures []string
}{
	{"pageWire", func() any { return new(pageWire) }, []string{"delta.json", "list.json"}},
	{"[]orderWire", func() any { return new([]orderWire) }, nil},
	{"orderWire", func() any { return new(orderWire) }, nil},
	{"basketResultWire", func() any { return new(basketResultWire) }, []string{"basket_response.json"}},
}

// TestFastDecodeTakesTheFixtures: the vendor's example answers decode on
// the fast path, with the result encoding/json gives; every other fixture
// into every type decodes as encoding/json decides.
func TestFastDecodeTakesTheFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	for _, ft := range fastTypes {
		must := map[string]bool{}
		for _, f := range ft.fixtures {
			must[f] = true
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			fast, err := wire.CheckDecode(b, ft.newV)
			if err != nil {
				t.Errorf("%s into %s: %v", f, ft.name, err)
			}
			if name := filepath.Base(f); must[name] && !fast {
				t.Errorf("%s into %s left the fast path", name, ft.name)
			}
			delete(must, filepath.Base(f))
		}
		for f := range must {
			t.Errorf("fixture %s is missing", f)
		}
	}
}

func FuzzFastDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, ft := range fastTypes {
			if _, err := wire.CheckDecode(b, ft.newV); err != nil {
				t.Fatalf("%s: %v", ft.name, err)
			}
		}
	})
}
