package orderkit

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/orderstate"
)

// API names the vendor API an Order came from.
type API string

// The four APIs.
const (
	APIAttivita      API = "attivita"
	APIInventorum    API = "inventorum"
	APIVersaCommerce API = "versacommerce"
	APIAdility       API = "adility"
)

// String returns the API's package name: "attivita".
func (a API) String() string { return string(a) }

// Source says where a figure of an Order comes from.
type Source uint8

// The sources of a figure.
const (
	// Absent: the vendor does not send the figure and no rule on its
	// reference page gives it. The figure's Amount is zero and means
	// nothing; it is left empty on export.
	Absent Source = iota
	// Given: the vendor sent the figure; Figure.From names its field.
	Given
	// Derived: computed from given figures by a rule the vendor's page
	// states; Figure.From names the rule and its inputs.
	Derived
)

var sourceNames = [...]string{"absent", "given", "derived"}

// String returns "absent", "given" or "derived".
func (s Source) String() string {
	if int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return fmt.Sprintf("Source(%d)", uint8(s))
}

// Figure is one amount of an order (a price, a total, a tax rate in
// percent) with where it comes from, so every figure on an export can be
// traced to what the vendor sent.
type Figure struct {
	// Amount is exact: a derived figure is rounded only where the vendor
	// rounds, so derived line figures may carry more than two decimals.
	Amount money.Amount
	Source Source
	// From is, for a given figure, the vendor's field ("grandTotal",
	// "basket.items[0].gross_price"); for a derived one, the rule and its
	// inputs ("subTotal + 19 % VAT (Attivita: German customers)").
	From string
}

// GivenFigure returns a figure the vendor sent in field.
func GivenFigure(a money.Amount, field string) Figure {
	return Figure{Amount: a, Source: Given, From: field}
}

// DerivedFigure returns a figure computed by rule.
func DerivedFigure(a money.Amount, rule string) Figure {
	return Figure{Amount: a, Source: Derived, From: rule}
}

// Known reports whether the figure is given or derived.
func (f Figure) Known() bool { return f.Source == Given || f.Source == Derived }

// IsDerived reports whether the figure was derived by a rule.
func (f Figure) IsDerived() bool { return f.Source == Derived }

// String returns the exact amount, or "" for an absent figure.
func (f Figure) String() string {
	if !f.Known() {
		return ""
	}
	return f.Amount.String()
}

// Address is a postal address as the vendor sent it; fields the vendor has
// no room for stay empty.
type Address struct {
	Name    string // the addressee: first and last name
	Company string
	Line1   string // street and house number
	Line2   string
	Postal  string // postcode
	City    string
	State   string // region or state code
	Country string // ISO 3166-1 alpha-2 where the vendor sends one
}

// IsZero reports whether no field is set.
func (a Address) IsZero() bool { return a == Address{} }

// Customer is the buyer as far as the vendor names them.
type Customer struct {
	ID    string // the vendor's customer id or number
	Name  string
	Email string
	// Billing and Shipping are nil where the vendor sends none.
	Billing  *Address
	Shipping *Address
}

// Line is one order line. Prices are per unit; Net, Tax and Gross are the
// line totals. TaxRate is in percent (19 is 19 %).
type Line struct {
	ID        string // the vendor's line id, where it has one
	ProductID string // the vendor's product (or offer) id
	SKU       string // article number, product code or EAN
	Name      string
	Quantity  int // units ordered; every API counts whole units

	UnitNet   Figure
	UnitGross Figure
	TaxRate   Figure
	// Discount is the line's discount as the vendor states it; Net and
	// Gross are before it. It is shown on the line only: the order deducts
	// discounts once, in Totals.Discount.
	Discount Figure
	// Extra is a charge on the line on top of unit price × quantity, in
	// the line's Net or Gross (VersaCommerce's extra_price); absent where
	// the vendor has none.
	Extra Figure
	Net   Figure
	Tax   Figure
	Gross Figure
}

// TaxSubtotal is the tax at one rate: the VAT breakdown of an invoice
// (EN 16931 BG-23).
type TaxSubtotal struct {
	Rate  Figure // percent
	Basis Figure // net amount taxed at Rate (BT-116)
	Tax   Figure // tax at Rate (BT-117)
	Gross Figure // Basis + Tax
}

// Totals are the order's totals. Lines, Shipping, Payment and Discount are
// gross amounts (what the buyer pays) unless their Net twins say otherwise;
// an absent term is one the vendor's order does not have.
type Totals struct {
	Lines    Figure // sum of the line totals, gross
	LinesNet Figure // sum of the line totals, net
	Shipping Figure // shipping cost, gross
	Payment  Figure // payment fee, gross
	// Discount is the order discount deducted from the sum of the lines.
	Discount Figure
	// DiscountIncluded is a discount the vendor reports but already took
	// off the line prices; it is shown for information and is not part of
	// any sum.
	DiscountIncluded Figure
	Net              Figure        // total without VAT (BT-109)
	Tax              []TaxSubtotal // per rate, in the order the vendor lists them
	TaxTotal         Figure        // total VAT (BT-110)
	Gross            Figure        // total with VAT (BT-112)
	Paid             Figure        // amount paid (BT-113)
}

// Check is one equation the figures of an order must satisfy, to the cent.
type Check struct {
	// Name is the equation: "lines + shipping + payment − discount = gross".
	Name string
	// Left and Right are both sides, rounded to cents; Difference is
	// Left − Right. All three are zero when the check was skipped.
	Left, Right, Difference money.Amount
	// Missing names the figure that could not be checked for lack of it;
	// empty when the check was made.
	Missing string
}

// Skipped reports whether the check could not be made.
func (c Check) Skipped() bool { return c.Missing != "" }

// OK reports whether the check was made and both sides agree to the cent.
func (c Check) OK() bool { return !c.Skipped() && c.Difference.IsZero() }

// String describes the check: "gross: 15.94 = 15.94", "paid ≠ gross:
// 138.60 vs 69.90, difference 68.70", "net + tax = gross: skipped, no gross".
func (c Check) String() string {
	switch {
	case c.Skipped():
		return c.Name + ": skipped, no " + c.Missing
	case c.OK():
		return c.Name + ": " + c.Left.StringFixed(2) + " = " + c.Right.StringFixed(2)
	}
	return fmt.Sprintf("%s: %s vs %s, difference %s", c.Name, c.Left.StringFixed(2), c.Right.StringFixed(2), c.Difference.StringFixed(2))
}

// Order is an order of any of the four APIs in one shape, with every figure
// the vendor sent, the figures derived by the vendor's own rules (marked),
// and the checks that show whether they add up.
type Order struct {
	API    API
	ID     string // the vendor's order id
	Number string // the order or invoice number shown to the buyer
	// Created and Completed are in UTC; zero where the vendor sends none.
	Created   time.Time
	Completed time.Time
	Status    orderstate.Status
	// VendorStatus is the status as the vendor spells it.
	VendorStatus string
	// Currency is the ISO 4217 code; empty where the vendor names none.
	// CurrencySource says whether it was sent as a code or read from a
	// symbol ("€").
	Currency       string
	CurrencySource Source

	Lines    []Line
	Totals   Totals
	Customer Customer

	// Notes say what the conversion read in a way a bookkeeper should know:
	// a discount already in the prices, totals the vendor left out.
	Notes []string
	// Checks are the equations checked by Reconcile, passed, failed and
	// skipped.
	Checks []Check

	// Vendor is the vendor's own order the conversion read, as a pointer:
	// *attivita.Order, *inventorum.Order, *versacommerce.Order or
	// *adility.Order.
	Vendor any
}

// PathFigure is one figure of an order and its path in the order:
// "lines[0].net", "totals.tax[1].rate", "totals.gross".
type PathFigure struct {
	Path   string
	Figure Figure
}

// Figures returns every figure of the order, absent ones included, by
// path in a fixed order: each line's figures (as Line.Figures names them,
// under "lines[i].") and then the totals' ("totals.lines",
// "totals.lines_net", "totals.shipping", "totals.payment",
// "totals.discount", "totals.discount_included", "totals.net",
// "totals.tax[i].rate", ".basis", ".tax", ".gross", "totals.tax_total",
// "totals.gross", "totals.paid"). It lets an export or a test go over the
// figures without naming each field.
func (o *Order) Figures() []PathFigure {
	var out []PathFigure
	for i := range o.Lines {
		p := fmt.Sprintf("lines[%d].", i)
		for _, f := range o.Lines[i].Figures() {
			out = append(out, PathFigure{p + f.Path, f.Figure})
		}
	}
	t := &o.Totals
	out = append(out, PathFigure{"totals.lines", t.Lines}, PathFigure{"totals.lines_net", t.LinesNet},
		PathFigure{"totals.shipping", t.Shipping}, PathFigure{"totals.payment", t.Payment},
		PathFigure{"totals.discount", t.Discount}, PathFigure{"totals.discount_included", t.DiscountIncluded},
		PathFigure{"totals.net", t.Net})
	for i, s := range t.Tax {
		p := fmt.Sprintf("totals.tax[%d].", i)
		out = append(out, PathFigure{p + "rate", s.Rate}, PathFigure{p + "basis", s.Basis},
			PathFigure{p + "tax", s.Tax}, PathFigure{p + "gross", s.Gross})
	}
	return append(out, PathFigure{"totals.tax_total", t.TaxTotal}, PathFigure{"totals.gross", t.Gross},
		PathFigure{"totals.paid", t.Paid})
}

// Figures returns the line's figures, absent ones included, by name in a
// fixed order: "unit_net", "unit_gross", "tax_rate", "discount", "extra",
// "net", "tax", "gross".
func (l *Line) Figures() []PathFigure {
	return []PathFigure{{"unit_net", l.UnitNet}, {"unit_gross", l.UnitGross}, {"tax_rate", l.TaxRate},
		{"discount", l.Discount}, {"extra", l.Extra}, {"net", l.Net}, {"tax", l.Tax}, {"gross", l.Gross}}
}

// Derived returns the paths of the figures of the order that were derived
// ("totals.gross", "lines[0].net"), in the order of Figures.
func (o *Order) Derived() []string {
	var out []string
	for _, f := range o.Figures() {
		if f.Figure.IsDerived() {
			out = append(out, f.Path)
		}
	}
	return out
}

// Differences returns the checks that were made and failed.
func (o *Order) Differences() []Check {
	var out []Check
	for _, c := range o.Checks {
		if !c.Skipped() && !c.OK() {
			out = append(out, c)
		}
	}
	return out
}

// ErrNotReconciled is matched by the error a conversion returns when the
// order's figures do not add up.
var ErrNotReconciled = errors.New("orderkit: order figures do not add up")

// ReconciliationError is returned beside a converted order whose figures do
// not add up to the cent. The order is complete; the error lists what
// differs so it is not booked unseen.
type ReconciliationError struct {
	API         API
	ID          string
	Differences []Check
}

// Error lists the failed checks.
func (e *ReconciliationError) Error() string {
	parts := make([]string, len(e.Differences))
	for i, c := range e.Differences {
		parts[i] = c.String()
	}
	return fmt.Sprintf("orderkit: %s order %s does not add up: %s", e.API, e.ID, strings.Join(parts, "; "))
}

// Is makes errors.Is(err, ErrNotReconciled) true.
func (e *ReconciliationError) Is(target error) bool { return target == ErrNotReconciled }

// Err returns a *ReconciliationError when a check failed, else nil.
func (o *Order) Err() error {
	d := o.Differences()
	if len(d) == 0 {
		return nil
	}
	return &ReconciliationError{API: o.API, ID: o.ID, Differences: d}
}

// AddCheck compares two figures to the cent and records the result under
// name. A side that is not known makes the check skipped, naming it.
func (o *Order) AddCheck(name string, left, right Figure, leftName, rightName string) {
	switch {
	case !left.Known():
		o.Checks = append(o.Checks, Check{Name: name, Missing: leftName})
	case !right.Known():
		o.Checks = append(o.Checks, Check{Name: name, Missing: rightName})
	default:
		l, r := left.Amount.RoundCents(), right.Amount.RoundCents()
		o.Checks = append(o.Checks, Check{Name: name, Left: l, Right: r, Difference: l.Sub(r)})
	}
}

// Reconcile checks the order's figures against each other, to the cent,
// and records every check in o.Checks (replacing earlier ones made by
// Reconcile, keeping none): per line, unit gross × quantity + extra = gross,
// unit net × quantity + extra = net where the net is given, and
// net + tax = gross; for the order, the lines sum to Totals.Lines and
// Totals.LinesNet, lines + shipping + payment − discount = gross,
// net + tax = gross, the tax breakdown sums to the tax total, and a paid
// amount equals the gross. A term the order does not have (shipping on a
// licence order) counts as zero; a check whose total is absent is skipped.
// It returns o.Err().
func (o *Order) Reconcile() error {
	o.Checks = nil
	for i, l := range o.Lines {
		p := fmt.Sprintf("line %d: ", i+1)
		if l.UnitGross.Known() && l.Gross.Known() {
			name, lhs := "unit gross × quantity = gross", l.UnitGross.Amount.Times(int64(l.Quantity))
			if l.Extra.Known() {
				name, lhs = "unit gross × quantity + extra = gross", lhs.Add(l.Extra.Amount)
			}
			o.AddCheck(p+name, DerivedFigure(lhs, ""), l.Gross, "unit gross", "gross")
		}
		if l.UnitNet.Known() && l.Net.Source == Given {
			// A net the vendor sent beside its unit price (a derived one is
			// unit × quantity by construction).
			name, lhs := "unit net × quantity = net", l.UnitNet.Amount.Times(int64(l.Quantity))
			if l.Extra.Known() {
				name, lhs = "unit net × quantity + extra = net", lhs.Add(l.Extra.Amount)
			}
			o.AddCheck(p+name, DerivedFigure(lhs, ""), l.Net, "unit net", "net")
		}
		if l.Net.Known() && l.Tax.Known() && l.Gross.Known() {
			o.AddCheck(p+"net + tax = gross", DerivedFigure(l.Net.Amount.Add(l.Tax.Amount), ""), l.Gross, "net", "gross")
		}
	}
	t := &o.Totals
	if len(o.Lines) > 0 {
		if sum, ok := sumLines(o.Lines, func(l Line) Figure { return l.Gross }); ok && t.Lines.Source == Given {
			o.AddCheck("sum of line gross = lines total", sum, t.Lines, "line gross", "lines total")
		}
		if sum, ok := sumLines(o.Lines, func(l Line) Figure { return l.Net }); ok && t.LinesNet.Source == Given {
			o.AddCheck("sum of line net = lines net total", sum, t.LinesNet, "line net", "lines net total")
		}
	}
	lines := t.Lines
	if !lines.Known() {
		if sum, ok := sumLines(o.Lines, func(l Line) Figure { return l.Gross }); ok && len(o.Lines) > 0 {
			lines = sum
		}
	}
	if lines.Known() {
		lhs := lines.Amount.Add(t.Shipping.Amount).Add(t.Payment.Amount).Sub(t.Discount.Amount)
		o.AddCheck("lines + shipping + payment − discount = gross", DerivedFigure(lhs, ""), t.Gross, "lines total", "gross")
	} else {
		o.AddCheck("lines + shipping + payment − discount = gross", lines, t.Gross, "lines total", "gross")
	}
	if t.Net.Known() || t.TaxTotal.Known() {
		var lhs Figure
		if t.Net.Known() && t.TaxTotal.Known() {
			lhs = DerivedFigure(t.Net.Amount.Add(t.TaxTotal.Amount), "")
		}
		missing := "net"
		if t.Net.Known() {
			missing = "tax total"
		}
		o.AddCheck("net + tax = gross", lhs, t.Gross, missing, "gross")
	}
	if len(t.Tax) > 0 {
		var tax, basis money.Amount
		taxOK, basisOK := true, true
		for _, s := range t.Tax {
			taxOK = taxOK && s.Tax.Known()
			basisOK = basisOK && s.Basis.Known()
			tax, basis = tax.Add(s.Tax.Amount), basis.Add(s.Basis.Amount)
		}
		if taxOK {
			o.AddCheck("tax per rate sums to tax total", DerivedFigure(tax, ""), t.TaxTotal, "tax per rate", "tax total")
		}
		if basisOK && t.Net.Known() {
			o.AddCheck("taxed net per rate sums to net", DerivedFigure(basis, ""), t.Net, "taxed net per rate", "net")
		}
	}
	if t.Paid.Known() && (!t.Paid.Amount.IsZero() || o.Status == orderstate.StatusCompleted) {
		o.AddCheck("paid = gross", t.Paid, t.Gross, "paid", "gross")
	}
	return o.Err()
}

// sumLines adds one figure over the lines; ok is false when a line lacks
// it. The sum is marked derived.
func sumLines(lines []Line, f func(Line) Figure) (Figure, bool) {
	var s money.Amount
	for _, l := range lines {
		v := f(l)
		if !v.Known() {
			return Figure{}, false
		}
		s = s.Add(v.Amount)
	}
	return DerivedFigure(s, "sum of the lines"), true
}

// SumLines returns the sum of one figure over the lines, marked derived by
// rule; absent when a line lacks it or there are no lines.
func SumLines(lines []Line, rule string, f func(Line) Figure) Figure {
	if len(lines) == 0 {
		return Figure{}
	}
	s, ok := sumLines(lines, f)
	if !ok {
		return Figure{}
	}
	s.From = rule
	return s
}
