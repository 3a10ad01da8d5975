package attivita

import (
	"testing"

	"github.com/orderkit/orderkit/internal/wire/wiretest"
)

// The answers' wire types; Fixtures are the vendor's examples each must
// decode on wire.Decode's fast path.
var fastTypes = []wiretest.Type{
	{Name: "orderList", New: func() any { return new(orderList) }, Fixtures: []string{"orders.json"}},
	{Name: "orderWire", New: func() any { return new(orderWire) }, Fixtures: []string{"bundle_order.json", "sandbox_order.json", "create_order_response.json"}},
	{Name: "productList", New: func() any { return new(productList) }, Fixtures: []string{"products.json"}},
	{Name: "webhookMaybeRoot", New: func() any { return new(webhookMaybeRoot) }},
	{Name: "createdWebhookWire", New: func() any { return new(createdWebhookWire) }},
}

// TestFastDecodeTakesTheFixtures: the vendor's example answers decode on
// the fast path, with the result encoding/json gives; every other fixture
// into every type decodes as encoding/json decides.
func TestFastDecodeTakesTheFixtures(t *testing.T) { wiretest.Fixtures(t, fastTypes) }

func FuzzFastDecode(f *testing.F) { wiretest.Fuzz(f, fastTypes) }
