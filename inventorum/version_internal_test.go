package inventorum

import (
	"testing"

	"github.com/orderkit/orderkit/money"
)

func TestVersionReadsAmountsByValueWithoutAllocating(t *testing.T) {
	o := Order{AmountPaid: money.MustParse("1.50")}
	o.Basket.Items = []Item{{ID: 1, Quantity: 2, GrossPrice: money.MustParse("9.99")}}
	o.Payments = []Payment{{ID: 3, PaymentAmount: money.MustParse("19.98")}}
	v := o.version()

	same := o
	same.AmountPaid = money.MustParse("1.5")
	if same.version() != v {
		t.Error("1.5 and 1.50 are one amount, one version")
	}
	for name, change := range map[string]func(*Order){
		"amount paid": func(o *Order) { o.AmountPaid = money.MustParse("1.51") },
		"zero paid":   func(o *Order) { o.AmountPaid = money.Zero },
		"item price":  func(o *Order) { o.Basket.Items = []Item{{ID: 1, Quantity: 2, GrossPrice: money.MustParse("9.98")}} },
		"payment":     func(o *Order) { o.Payments = []Payment{{ID: 3, PaymentAmount: money.MustParse("1998")}} },
		"huge":        func(o *Order) { o.AmountPaid = money.MustParse("12345678901234567890.5") },
		"net price": func(o *Order) {
			o.Basket.Items = []Item{{ID: 1, Quantity: 2, GrossPrice: money.MustParse("9.99"), Price: money.MustParse("8.39")}}
		},
		"product": func(o *Order) {
			o.Basket.Items = []Item{{ID: 1, Quantity: 2, GrossPrice: money.MustParse("9.99"), Product: 7}}
		},
		"item discount": func(o *Order) {
			o.Basket.Items = []Item{{ID: 1, Quantity: 2, GrossPrice: money.MustParse("9.99"), Discount: &Discount{Amount: money.MustParse("0.5")}}}
		},
		"basket discount": func(o *Order) { o.Basket.Discount = &Discount{Amount: money.MustParse("0.5"), Type: "cash"} },
		"shipment cost":   func(o *Order) { o.Shipment = &Shipment{ID: 4, Cost: money.MustParse("4.90")} },
		"payment method": func(o *Order) {
			o.Payments = []Payment{{ID: 3, PaymentAmount: money.MustParse("19.98"), PaymentMethod: "6"}}
		},
	} {
		c := o
		change(&c)
		if c.version() == v {
			t.Errorf("%s: changed order keeps its version", name)
		}
	}
	// A discount's type and reason, and a shipment's cost, count on their own.
	d := o
	d.Basket.Discount = &Discount{Amount: money.MustParse("0.5"), Type: "cash"}
	for name, change := range map[string]func(*Order){
		"discount type":   func(o *Order) { o.Basket.Discount = &Discount{Amount: money.MustParse("0.5"), Type: "percent"} },
		"discount reason": func(o *Order) { o.Basket.Discount = &Discount{Amount: money.MustParse("0.5"), Type: "cash", Reason: 1} },
		"no discount":     func(o *Order) { o.Basket.Discount = nil },
	} {
		c := d
		change(&c)
		if c.version() == d.version() {
			t.Errorf("%s: changed order keeps its version", name)
		}
	}
	ship := o
	ship.Shipment = &Shipment{ID: 4, Cost: money.MustParse("4.90")}
	free := o
	free.Shipment = &Shipment{ID: 4}
	if ship.version() == free.version() {
		t.Error("shipment cost: changed order keeps its version")
	}
	if n := testing.AllocsPerRun(100, func() { _ = o.version() }); n != 0 {
		t.Errorf("version allocates %v times an order", n)
	}
}
