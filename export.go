package orderkit

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"

	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/orderstate"
)

// ExportSummary is what an export put into its sums, and what it left out.
type ExportSummary struct {
	// Orders is the number of orders in the sums; Bookings the booking
	// rows written (DATEV) or the rate rows (VAT CSV).
	Orders   int
	Bookings int
	// Rates are the sums per currency and VAT rate, in the order written:
	// rates by currency, then highest rate first; rows without a rate (orders
	// without a VAT breakdown, in the VAT CSV only) last.
	Rates []RateTotal
	// Excluded are the orders left out of the sums, each with its reason.
	Excluded []Exclusion
	// Notices are the texts changed to fit the format and the zero
	// bookings left out.
	Notices []Notice
}

// Gross returns the gross of the rows in currency (orders without a known
// gross count as zero).
func (s *ExportSummary) Gross(currency string) money.Amount {
	var sum money.Amount
	for _, r := range s.Rates {
		if r.Currency == currency {
			sum = sum.Add(r.Gross.Amount)
		}
	}
	return sum
}

// RateTotal is the sum of the booked orders at one currency and VAT rate.
// Rate, Net and Tax are absent in the row of orders without a VAT
// breakdown, Gross where none of those orders has a gross.
type RateTotal struct {
	Currency              string
	Rate, Net, Tax, Gross Figure
	// Orders counts the orders with an amount at this rate; Bookings the
	// DATEV bookings written for it.
	Orders, Bookings int
}

// Exclusion is an order an export left out of its sums.
type Exclusion struct {
	API    API
	ID     string
	Number string
	Reason string
}

// String reads "attivita order 1001: status canceled: not booked".
func (e Exclusion) String() string {
	return fmt.Sprintf("%s order %s: %s", e.API, e.ID, e.Reason)
}

// Notice is a change an export made to fit the format: a text cut to its
// field's length, a character replaced, a zero booking left out.
type Notice struct {
	API API
	ID  string
	// Field is the DATEV field or CSV column: "Buchungstext", "Belegfeld 1".
	Field string
	// Was is the text as the order had it, Now as written.
	Was, Now string
	Reason   string
}

// String reads `versacommerce order 302: Buchungstext: cut to 60
// characters: "…" → "…"`.
func (n Notice) String() string {
	return fmt.Sprintf("%s order %s: %s: %s: %q → %q", n.API, n.ID, n.Field, n.Reason, n.Was, n.Now)
}

// booked reports whether an order in status s counts in the sums:
// canceled, failed and unknown orders do not.
func booked(s orderstate.Status) bool {
	return s == orderstate.StatusCompleted || s == orderstate.StatusOpen || s == orderstate.StatusPending || s == orderstate.StatusRefunded
}

var isoCurrency = regexp.MustCompile(`^[A-Z]{3}$`)

// orderCurrency returns the order's currency, or assumed where it names
// none.
func orderCurrency(o *Order, assumed string) string {
	if o.Currency == "" {
		return assumed
	}
	return o.Currency
}

// rateAmount is an order's amount at one VAT rate, in cents.
type rateAmount struct {
	rate            money.Amount
	net, tax, gross money.Amount
}

// vatBreakdown returns the order's VAT per rate from Totals.Tax, subtotals
// at the same rate merged, each rounded to cents: net = basis, tax = tax,
// gross = net + tax. ok is false when the order has no complete breakdown
// (no subtotal, or one without rate, basis or tax).
func vatBreakdown(o *Order) (rates []rateAmount, ok bool) {
	if len(o.Totals.Tax) == 0 {
		return nil, false
	}
	for _, s := range o.Totals.Tax {
		if !s.Rate.Known() || !s.Basis.Known() || !s.Tax.Known() {
			return nil, false
		}
		net, tax := s.Basis.Amount.RoundCents(), s.Tax.Amount.RoundCents()
		i := slices.IndexFunc(rates, func(r rateAmount) bool { return r.rate.Equal(s.Rate.Amount) })
		if i < 0 {
			rates = append(rates, rateAmount{rate: s.Rate.Amount})
			i = len(rates) - 1
		}
		r := &rates[i]
		r.net, r.tax, r.gross = r.net.Add(net), r.tax.Add(tax), r.gross.Add(net).Add(tax)
	}
	return rates, true
}

// rateTotals collects RateTotal rows by currency and rate.
type rateTotals struct{ rows []RateTotal }

// add adds an order's amount at a rate; a nil rate is the row of orders
// without a breakdown, where only a known gross is added.
func (t *rateTotals) add(currency string, r *rateAmount, gross Figure, bookings int) {
	i := slices.IndexFunc(t.rows, func(x RateTotal) bool {
		if x.Currency != currency || x.Rate.Known() != (r != nil) {
			return false
		}
		return r == nil || x.Rate.Amount.Equal(r.rate)
	})
	if i < 0 {
		row := RateTotal{Currency: currency}
		if r != nil {
			row.Rate = DerivedFigure(r.rate, "VAT rate of the orders' breakdown")
			row.Net = DerivedFigure(money.Zero, "sum of the net at this rate")
			row.Tax = DerivedFigure(money.Zero, "sum of the tax at this rate")
			row.Gross = DerivedFigure(money.Zero, "sum of net + tax at this rate")
		}
		t.rows = append(t.rows, row)
		i = len(t.rows) - 1
	}
	row := &t.rows[i]
	row.Orders++
	row.Bookings += bookings
	switch {
	case r != nil:
		row.Net.Amount = row.Net.Amount.Add(r.net)
		row.Tax.Amount = row.Tax.Amount.Add(r.tax)
		row.Gross.Amount = row.Gross.Amount.Add(r.gross)
	case gross.Known():
		if !row.Gross.Known() {
			row.Gross = DerivedFigure(money.Zero, "sum of the orders' gross")
		}
		row.Gross.Amount = row.Gross.Amount.Add(gross.Amount.RoundCents())
	}
}

// sorted returns the rows with a rate first, by currency and then highest
// rate first, and the rows without one last, by currency.
func (t *rateTotals) sorted() []RateTotal {
	slices.SortStableFunc(t.rows, func(a, b RateTotal) int {
		if a.Rate.Known() != b.Rate.Known() {
			if a.Rate.Known() {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.Currency, b.Currency), b.Rate.Amount.Cmp(a.Rate.Amount))
	})
	return t.rows
}
