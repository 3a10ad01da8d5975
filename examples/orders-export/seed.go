package main

import (
	"context"
	"encoding/json"
	"time"

	"github.com/orderkit/orderkit/adility"
	"github.com/orderkit/orderkit/adility/adilitytest"
	"github.com/orderkit/orderkit/attivita"
	"github.com/orderkit/orderkit/attivita/attivitatest"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/orderstate"
	"github.com/orderkit/orderkit/versacommerce/versacommercetest"
)

// The fakes' demo orders: a few per API on fakeDay, and one on the day
// before that the export leaves out.

func at(h, m int) time.Time {
	return fakeDay.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
}

// seedAttivita buys through the client, as a reseller would: two Office
// licences for a German customer (19 % added), one antivirus licence
// without VAT, and one licence the day before.
func seedAttivita(ctx context.Context, fake *attivitatest.Server, c *attivita.Client) error {
	for _, o := range []struct {
		when   time.Time
		german bool
		buy    attivita.OrderProduct
	}{
		{fakeDay.Add(-2 * time.Hour), true, attivita.OrderProduct{ProductID: attivitatest.DemoOfficeID, Amount: 1}},
		{at(8, 15), true, attivita.OrderProduct{ProductID: attivitatest.DemoOfficeID, Amount: 2}},
		{at(10, 40), false, attivita.OrderProduct{ProductID: attivitatest.DemoAntivirusID, Amount: 1}},
	} {
		fake.SetClock(func() time.Time { return o.when })
		fake.SetGermanVAT(o.german)
		if _, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{o.buy}}); err != nil {
			return err
		}
	}
	return nil
}

// seedInventorum files three till orders: a shop sale at two rates, paid
// in full; an iPad sale paid 2.00 short (its difference shows in the
// export); and one from the day before.
func seedInventorum() *inventorumtest.Server {
	fake := inventorumtest.NewServer()
	fake.SetClock(func() time.Time { return at(23, 0) })
	m := money.MustParse
	str := func(s string) *string { return &s }
	mate := inventorum.Item{ID: 501, Name: "Club Mate 0,5 l", Product: 9001, ProductCode: str("4029764001807"),
		Quantity: 4, Price: m("1.6722689076"), TaxRate: m("19.000"), UnitGrossPrice: m("1.99"), GrossPrice: m("7.96")}
	brezel := inventorum.Item{ID: 502, Name: "Brezel", Product: 9002,
		Quantity: 2, Price: m("0.7383177570"), TaxRate: m("7.000"), UnitGrossPrice: m("0.79"), GrossPrice: m("1.58")}
	mug := inventorum.Item{ID: 503, Name: "Tasse", Product: 9003, ProductCode: str("T-1"),
		Quantity: 1, Price: m("10.0840336134"), TaxRate: m("19.000"), UnitGrossPrice: m("12.00"), GrossPrice: m("12.00")}
	billing := &inventorum.Address{Country: "DE", Address1: "Danziger Str 100b", Zipcode: "10405", City: "Berlin", FirstName: "Paul", LastName: "Schmidt"}
	fake.AddOrder(inventorum.Order{ID: 7001, State: orderstate.Completed, Channel: inventorum.ChannelShop,
		Basket:     inventorum.Basket{Items: []inventorum.Item{mate, brezel}, InvoiceNumber: "R-2024-0301"},
		Customer:   &inventorum.Customer{ID: 408367, Email: "paulschmidt@example.com", FirstName: "Paul", LastName: "Schmidt", BillingAddress: billing},
		AmountPaid: m("9.54"), TimeAdded: at(9, 5), CompletedAt: at(9, 6)})
	fake.AddOrder(inventorum.Order{ID: 7002, State: orderstate.Completed, Channel: inventorum.ChannelIPad,
		Basket:     inventorum.Basket{Items: []inventorum.Item{mug}, InvoiceNumber: "R-2024-0302"},
		AmountPaid: m("10.00"), TimeAdded: at(11, 30), CompletedAt: at(11, 31)})
	fake.AddOrder(inventorum.Order{ID: 7000, State: orderstate.Completed, Channel: inventorum.ChannelShop,
		Basket:     inventorum.Basket{Items: []inventorum.Item{mug}, InvoiceNumber: "R-2024-0229"},
		AmountPaid: m("12.00"), TimeAdded: fakeDay.Add(-time.Hour), CompletedAt: fakeDay.Add(-time.Hour)})
	return fake
}

// seedVersaCommerce fills a shop with two orders of the day (one at 19 %
// only, one at 19 % and 7 %, with the shop's tax totals), a canceled one,
// and one from the day before. Prices include tax, as the fake's shop has it.
func seedVersaCommerce() *versacommercetest.Server {
	fake := versacommercetest.NewServer()
	fake.SetClock(func() time.Time { return at(23, 0) })
	m := money.MustParse
	raw := func(v string) json.RawMessage { return json.RawMessage(v) }
	taxes := func(std, stdTotal, red, redTotal string) map[string]json.RawMessage {
		return map[string]json.RawMessage{
			"standard_tax_rate": raw("19"), "standard_tax_amount": raw(`"` + std + `"`), "standard_tax_total": raw(`"` + stdTotal + `"`),
			"reduced_tax_rate": raw("7"), "reduced_tax_amount": raw(`"` + red + `"`), "reduced_tax_total": raw(`"` + redTotal + `"`),
		}
	}
	anna := versacommercetest.Address{Firstname: "Anna", Lastname: "Schmidt", Street: "Hauptstraße", Streetnumber: "1", Zipcode: "30159", City: "Hannover", Country: "DE"}
	// 2 × 12.50 + 4.90 shipping = 29.90, all at 19 %: 29.90 × 19 / 119 = 4.77.
	fake.AddOrder(versacommercetest.Order{ID: 301, CreatedAt: at(9, 45), Status: "open", PaymentStatus: "paid",
		CustomerEmail: "anna@example.com", BillingAddress: anna, ShippingAddress: anna,
		Items:     []versacommercetest.Item{{ProductID: 11, Code: "TEE-1", Title: "Teeservice", Quantity: 2, Price: m("12.50")}},
		ItemTotal: m("25.00"), ShippingCost: m("4.90"), Subtotal: m("29.90"), Total: m("29.90"),
		Extra: taxes("4.77", "29.90", "0.0", "0.0")})
	// 8.99 (19 %) + 3 × 12.00 books (7 %) + 2.50 payment (19 %) = 47.49;
	// 11.49 × 19 / 119 = 1.83 and 36.00 × 7 / 107 = 2.36.
	jorg := versacommercetest.Address{Firstname: "Jörg", Lastname: "Müller", Company: "Müller & Söhne", Street: "Am Markt", Streetnumber: "3a", Zipcode: "01067", City: "Dresden", Country: "DE"}
	fake.AddOrder(versacommercetest.Order{ID: 302, CreatedAt: at(13, 20), Status: "closed", PaymentStatus: "paid", PaymentType: "cod",
		CustomerEmail: "joerg@example.com", BillingAddress: jorg,
		Items: []versacommercetest.Item{
			{ProductID: 12, Code: "KAF-500", Title: "Kaffee 500 g", Quantity: 1, Price: m("8.99")},
			{ProductID: 13, Code: "978-3-16-148410-0", Title: "Kochbuch", Quantity: 3, Price: m("12.00")},
		},
		ItemTotal: m("44.99"), PaymentCost: m("2.50"), Subtotal: m("47.49"), Total: m("47.49"),
		Extra: taxes("1.83", "11.49", "2.36", "36.00")})
	fake.AddOrder(versacommercetest.Order{ID: 303, CreatedAt: at(15, 0), Status: "canceled", CustomerEmail: "lena@example.com",
		Items:     []versacommercetest.Item{{ProductID: 11, Code: "TEE-1", Title: "Teeservice", Quantity: 1, Price: m("12.50")}},
		ItemTotal: m("12.50"), Subtotal: m("12.50"), Total: m("12.50"), Extra: taxes("2.00", "12.50", "0.0", "0.0")})
	fake.AddOrder(versacommercetest.Order{ID: 300, CreatedAt: fakeDay.Add(-3 * time.Hour), Status: "closed",
		ItemTotal: m("12.50"), Subtotal: m("12.50"), Total: m("12.50"), Extra: taxes("2.00", "12.50", "0.0", "0.0")})
	return fake
}

// seedAdility places one order for two vouchers and returns its id.
func seedAdility(ctx context.Context, c *adility.Client) ([]string, error) {
	o, err := c.Orders.Place(ctx, &adility.PlaceRequest{
		OrderNumber: "export-0001", CustomerName: "John Smith",
		Items: []adility.PlaceItem{{OfferID: adilitytest.DemoOfferID, Quantity: 2}},
	})
	if err != nil {
		return nil, err
	}
	return []string{string(o.ID)}, nil
}
