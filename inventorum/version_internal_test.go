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
	} {
		c := o
		change(&c)
		if c.version() == v {
			t.Errorf("%s: changed order keeps its version", name)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = o.version() }); n != 0 {
		t.Errorf("version allocates %v times an order", n)
	}
}
