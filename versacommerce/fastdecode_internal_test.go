package versacommerce

import (
	"testing"

	"github.com/orderkit/orderkit/internal/wire/wiretest"
)

// The answers' wire types; Fixtures are the vendor's examples each must
// decode on wire.Decode's fast path.
var fastTypes = []wiretest.Type{
	{Name: "orderList", New: func() any { return new(orderList) }, Fixtures: []string{"orders.json", "orders_include_items.json"}},
	{Name: "orderMaybeRoot", New: func() any { return new(orderMaybeRoot) }, Fixtures: []string{"order.json", "create_response.json"}},
	{Name: "[]itemMaybeRoot", New: func() any { return new([]itemMaybeRoot) }},
}

// TestFastDecodeTakesTheFixtures: the vendor's example answers decode on
// the fast path, with the result encoding/json gives; every other fixture
// into every type decodes as encoding/json decides.
func TestFastDecodeTakesTheFixtures(t *testing.T) { wiretest.Fixtures(t, fastTypes) }

func FuzzFastDecode(f *testing.F) { wiretest.Fuzz(f, fastTypes) }
