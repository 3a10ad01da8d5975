package inventorum

import (
	"testing"

	"github.com/orderkit/orderkit/internal/wire/wiretest"
)

// The answers' wire types; Fixtures are the vendor's examples each must
// decode on wire.Decode's fast path.
var fastTypes = []wiretest.Type{
	{Name: "pageWire", New: func() any { return new(pageWire) }, Fixtures: []string{"delta.json", "list.json"}},
	{Name: "[]orderWire", New: func() any { return new([]orderWire) }},
	{Name: "orderWire", New: func() any { return new(orderWire) }},
	{Name: "basketResultWire", New: func() any { return new(basketResultWire) }, Fixtures: []string{"basket_response.json"}},
}

// TestFastDecodeTakesTheFixtures: the vendor's example answers decode on
// the fast path, with the result encoding/json gives; every other fixture
// into every type decodes as encoding/json decides.
func TestFastDecodeTakesTheFixtures(t *testing.T) { wiretest.Fixtures(t, fastTypes) }

func FuzzFastDecode(f *testing.F) { wiretest.Fuzz(f, fastTypes) }
