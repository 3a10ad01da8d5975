// Command quickstart shows every orderkit client at work in one run, with
// nothing but Go installed and no account anywhere:
//
//	go run ./examples/quickstart
//
// It starts the four in-memory fakes (attivitatest, inventorumtest,
// versacommercetest, adilitytest) on loopback with httptest and runs the
// main job of each API against them through the real clients:
//
//   - Attivita: list the products, buy a bundle, print its licence keys by
//     licence pool;
//   - Inventorum: sync the orders from a checkpoint, store the checkpoint,
//     and sync again from it when new orders arrive;
//   - VersaCommerce: export the orders with one status, with the shop's
//     count of them;
//   - Adility: place an order, read it back and cancel it with its
//     vouchers.
//
// The report has one section per API and ends each with the example program
// that runs the same calls against a real account, and the environment
// variables it reads. The quickstart itself never talks to a real account,
// even when those variables are set. Its fakes run on fixed clocks, so the
// report is the same on every run.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/adility"
	"github.com/orderkit/orderkit/adility/adilitytest"
	"github.com/orderkit/orderkit/attivita"
	"github.com/orderkit/orderkit/attivita/attivitatest"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/orderstate"
	"github.com/orderkit/orderkit/versacommerce"
	"github.com/orderkit/orderkit/versacommerce/versacommercetest"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	cancel()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "quickstart: "+strings.Join(strings.Fields(err.Error()), " "))
		}
		os.Exit(1)
	}
}

// clock is the fixed time the fakes stamp new orders and vouchers with, so
// the report is the same on every run.
var clock = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// section is one API's part of the report.
type section struct {
	title string
	run   func(ctx context.Context, w io.Writer) error
	// real names the example program that runs the same calls against a
	// real account, and the environment variables it reads.
	program string
	env     string
}

var sections = []section{
	{
		title: "Attivita: licence reseller (package attivita)", run: attivitaSection,
		program: "attivita-order",
		env:     "ATTIVITA_TOKEN (required), ATTIVITA_BASE_URL, ATTIVITA_SANDBOX (sandbox by default; false buys for real)",
	},
	{
		title: "Inventorum: POS and retail orders (package inventorum)", run: inventorumSection,
		program: "inventorum-sync",
		env:     "INVENTORUM_TOKEN (required), INVENTORUM_BASE_URL",
	},
	{
		title: "VersaCommerce: shop orders (package versacommerce)", run: versacommerceSection,
		program: "versacommerce-export",
		env:     "VERSACOMMERCE_SHOP, VERSACOMMERCE_API_KEY, VERSACOMMERCE_API_PASSWORD (required), VERSACOMMERCE_BASE_URL",
	},
	{
		title: "Adility: vouchers (package adility)", run: adilitySection,
		program: "adility-vouchers",
		env:     "ADILITY_API_KEY (required), ADILITY_BASE_URL, ADILITY_FORMAT (json or xml)",
	},
}

// realAccountVars are the variables that point an example program at a real
// account. The quickstart only mentions them when set: it runs on the fakes.
var realAccountVars = []string{"ATTIVITA_TOKEN", "INVENTORUM_TOKEN", "VERSACOMMERCE_API_KEY", "ADILITY_API_KEY"}

// run is the program; main only wires it to the process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: quickstart\n\nRuns every orderkit client against in-memory fakes and prints a report.")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: the quickstart takes none", fs.Arg(0))
	}
	for _, v := range realAccountVars {
		if getenv(v) != "" {
			fmt.Fprintf(stderr, "%s is set, but the quickstart runs on the fakes only; the example programs below use it.\n", v)
		}
	}

	fmt.Fprintln(stdout, "orderkit quickstart: the four clients against their in-memory fakes")
	for _, s := range sections {
		fmt.Fprintf(stdout, "\n%s\n%s\n", s.title, strings.Repeat("=", len([]rune(s.title))))
		if err := s.run(ctx, stdout); err != nil {
			return fmt.Errorf("%s: %w", strings.SplitN(s.title, ":", 2)[0], err)
		}
		fmt.Fprintf(stdout, "Real account: go run ./examples/%s with %s\n", s.program, s.env)
	}
	return nil
}

// table writes aligned columns; flush it with Flush.
func table(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }

// attivitaSection lists the catalogue and buys two units of a bundle, whose
// keys come from one licence pool per component.
func attivitaSection(ctx context.Context, w io.Writer) error {
	fake := attivitatest.NewServer()
	fake.SetClock(func() time.Time { return clock })
	fake.SeedDemo()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, err := attivita.NewClient(attivitatest.DefaultToken, orderkit.WithBaseURL(attivitatest.BaseURL(srv.URL)))
	if err != nil {
		return err
	}

	products, err := c.Products.List(ctx, nil)
	if err != nil {
		return fmt.Errorf("listing products: %w", err)
	}
	const units = 2
	var bundle *attivita.Product
	tw := table(w)
	fmt.Fprintln(tw, "PRODUCT\tPRICE\tSTOCK\tREGION")
	for i, p := range products {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.DisplayName, p.Price.Format("EUR"), p.AvailableStock, p.ValidRegion)
		if bundle == nil && p.IsBundle && p.AvailableStock.AtLeast(units) {
			bundle = &products[i]
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if bundle == nil {
		return errors.New("no bundle in stock")
	}

	order, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: bundle.ID, Amount: units}}})
	var short *attivita.InsufficientStockError
	switch {
	case errors.As(err, &short):
		return fmt.Errorf("not bought, stock too low: %w", err)
	case errors.Is(err, orderkit.ErrOutcomeUnknown):
		// The order may exist: look it up in the order list, never buy again blindly.
		return fmt.Errorf("the order may have been placed; check the order list: %w", err)
	case err != nil:
		return fmt.Errorf("buying: %w", err)
	}
	fmt.Fprintf(w, "\nBought %d × %s: order %d, %s, total %s\n",
		units, bundle.DisplayName, order.OrderNumber, order.Status, order.GrandTotal.Format("EUR"))
	tw = table(w)
	fmt.Fprintln(tw, "LICENCE POOL\tPRODUCT\tKEY")
	for _, it := range order.Items {
		for _, g := range it.KeysByPool() {
			pool, product := g.PoolName, g.ProductName
			if g.PoolID == "" { // not a bundle: one group for the line
				pool, product = "-", it.ProductName
			}
			for _, k := range g.Keys {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", pool, product, k)
				pool, product = "", ""
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d keys\n", len(order.Keys()))
	return nil
}

// inventorumOrders is how many orders the till has taken before the first
// sync, one every inventorumStep from inventorumStart.
const inventorumOrders = 7

var (
	inventorumStart = time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	inventorumStep  = 7 * time.Minute
)

// inventorumSection syncs the delta feed from an empty checkpoint, stores
// the checkpoint, and after one new and one changed order syncs again from
// the stored checkpoint: only those two come back.
func inventorumSection(ctx context.Context, w io.Writer) error {
	fake := inventorumtest.NewServer()
	fake.SetClock(func() time.Time { return clock })
	generated := fake.GenerateOrders(inventorumOrders, inventorumStart, inventorumStep)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, err := inventorum.NewClient(inventorumtest.DefaultAccessToken, orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)))
	if err != nil {
		return err
	}

	// The checkpoint is plain JSON: a real program keeps it in a file or a
	// database row between runs. Here it stays in memory.
	var stored []byte
	sync := func(label string) error {
		var cp inventorum.DeltaCheckpoint
		if stored != nil {
			if err := json.Unmarshal(stored, &cp); err != nil {
				return fmt.Errorf("reading the checkpoint: %w", err)
			}
		}
		fmt.Fprintf(w, "\n%s\n", label)
		var buf bytes.Buffer
		tw := table(&buf)
		fmt.Fprintln(tw, "ORDER\tCHANNEL\tSTATE\tSTATUS\tGROSS")
		var n int
		var total money.Amount
		var syncErr error
		for o, err := range c.Orders.Sync(ctx, &cp, nil) {
			if err != nil {
				syncErr = err
				break
			}
			gross := o.GrossTotal()
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", o.ID, o.Channel, o.State, o.Status(), gross.Format("EUR"))
			n++
			total = total.Add(gross)
		}
		// Store what was consumed even after an error: the next run
		// resumes from there without a gap.
		b, err := json.Marshal(&cp)
		if err != nil {
			return errors.Join(syncErr, err)
		}
		stored = b
		if syncErr != nil {
			return fmt.Errorf("syncing: %w", syncErr)
		}
		if n == 0 {
			fmt.Fprintln(w, "no new or changed orders")
			return nil
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		_, err = w.Write(buf.Bytes())
		fmt.Fprintf(w, "%d orders, gross %s; checkpoint stored\n", n, total.Format("EUR"))
		return err
	}

	if err := sync("Sync from an empty checkpoint (drafts are not in the feed; API version 12 leaves pending orders out):"); err != nil {
		return err
	}

	// Meanwhile the till takes one more order and refunds an earlier one.
	next := inventorumStart.Add(inventorumOrders * inventorumStep)
	added := fake.AddOrder(inventorum.Order{
		Basket: inventorum.Basket{Items: []inventorum.Item{{
			Name: "Gift card", Quantity: 1, OriginalQuantity: money.FromInt(1), TaxRate: money.Zero,
			UnitGrossPrice: money.MustParse("25.00"), GrossPrice: money.MustParse("25.00"), Price: money.MustParse("25.00"),
		}}},
		State: orderstate.Completed, Channel: inventorum.ChannelShop,
		TimeAdded: next, CompletedAt: next, AmountPaid: money.MustParse("25.00"),
	})
	refundedID := generated[0].ID
	if !fake.ModifyOrder(refundedID, next.Add(time.Minute), func(o *inventorum.Order) { o.State |= orderstate.Refunded }) {
		return fmt.Errorf("the fake has no order %s", refundedID)
	}
	if err := sync(fmt.Sprintf("New order %s and order %s refunded; sync from the stored checkpoint:", added.ID, refundedID)); err != nil {
		return err
	}
	return sync("Sync again from the stored checkpoint:")
}

// versacommerceSection exports the open orders of a shop and asks the shop
// how many there are.
func versacommerceSection(ctx context.Context, w io.Writer) error {
	fake := versacommercetest.NewServer()
	fake.SetClock(func() time.Time { return clock })
	seedShop(fake)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, err := versacommerce.NewClient("", versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword,
		orderkit.WithBaseURL(versacommercetest.BaseURL(srv.URL)))
	if err != nil {
		return err
	}

	filter := versacommerce.Filter{Status: versacommerce.OrderStatusOpen}
	count, err := c.Orders.Count(ctx, &filter)
	if err != nil {
		return fmt.Errorf("counting orders: %w", err)
	}
	fmt.Fprintf(w, "Orders with status %q (the shop counts %d):\n", filter.Status, count)
	tw := table(w)
	fmt.Fprintln(tw, "CODE\tCREATED\tCUSTOMER\tPAYMENT\tTOTAL")
	var rows int
	var total money.Amount
	currency, mixed := "", false
	for o, err := range c.Orders.All(ctx, &versacommerce.ListOptions{Filter: filter}) {
		if err != nil {
			return fmt.Errorf("listing orders: %w", err)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", o.Code, o.CreatedAt.Format(time.DateOnly), customer(o), o.PaymentStatus, o.Total.Format(o.Currency))
		if rows == 0 {
			currency = o.Currency
		}
		mixed = mixed || o.Currency != currency
		rows++
		total = total.Add(o.Total)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if mixed { // amounts in different currencies do not add up
		fmt.Fprintf(w, "%d orders exported, in several currencies\n", rows)
	} else {
		fmt.Fprintf(w, "%d orders exported, total %s\n", rows, total.Format(currency))
	}
	if rows != count {
		// Orders can arrive between the two calls on a live shop.
		fmt.Fprintf(w, "The count (%d) and the export (%d) differ: orders changed in between.\n", count, rows)
	}
	return nil
}

// customer names the buyer: the billing name, else the customer's email.
func customer(o versacommerce.Order) string {
	if a := o.BillingAddress; a != nil {
		if name := strings.TrimSpace(a.Firstname + " " + a.Lastname); name != "" {
			return name
		}
	}
	return o.CustomerEmail
}

// seedShop fills the fake shop with orders in every status.
func seedShop(fake *versacommercetest.Server) {
	day := time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC)
	for i, d := range []struct{ first, last, email, status, payment, total string }{
		{"Eduard", "Siebert", "siebert@example.com", "closed", "paid", "97.45"},
		{"Anna", "Schmidt", "anna@example.com", "open", "not_paid", "15.94"},
		{"Jörg", "Müller", "joerg@example.com", "in_progress", "paid", "1234.50"},
		{"Lena", "Weber", "lena@example.com", "canceled", "not_paid", "8.49"},
		{"", "", "guest@example.com", "open", "paid", "42.00"},
		{"Mehmet", "Yılmaz", "mehmet@example.com", "open", "paid", "1089.99"},
	} {
		fake.AddOrder(versacommercetest.Order{
			CreatedAt: day.AddDate(0, 0, 3*i), Status: d.status, PaymentStatus: d.payment,
			Total: money.MustParse(d.total), Subtotal: money.MustParse(d.total), CustomerEmail: d.email,
			BillingAddress: versacommercetest.Address{Firstname: d.first, Lastname: d.last, Street: "Hauptstraße",
				Streetnumber: "1", Zipcode: "30159", City: "Hannover", Country: "DE"},
		})
	}
}

// adilitySection places an order for two vouchers, reads it back and
// cancels it with its vouchers.
func adilitySection(ctx context.Context, w io.Writer) error {
	fake := adilitytest.NewServer()
	fake.SetClock(func() time.Time { return clock })
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, err := adility.NewClient(adilitytest.DefaultAPIKey, orderkit.WithBaseURL(adilitytest.BaseURL(srv.URL)))
	if err != nil {
		return err
	}

	// Order numbers are the caller's and unique: Adility refuses a repeat.
	// A real program derives them from its own order; the fake is new on
	// every run, so a fixed one will do.
	const number = "quickstart-0001"
	placed, err := c.Orders.Place(ctx, &adility.PlaceRequest{
		OrderNumber:  number,
		CustomerName: "John Smith",
		Items:        []adility.PlaceItem{{OfferID: adilitytest.DemoOfferID, Quantity: 2}},
	})
	if errors.Is(err, orderkit.ErrOutcomeUnknown) {
		return fmt.Errorf("order %s may have been placed; check it before trying again: %w", number, err)
	}
	if err != nil {
		return fmt.Errorf("placing order %s: %w", number, err)
	}
	fmt.Fprintf(w, "Placed    order %s (number %s): %s (%s), %d vouchers\n",
		placed.ID, placed.OrderNumber, placed.Status, placed.Status.Status(), len(placed.Vouchers()))
	if err := printVouchers(w, placed); err != nil {
		return err
	}

	got, err := c.Orders.Get(ctx, placed.ID)
	if err != nil {
		return fmt.Errorf("reading order %s back: %w", placed.ID, err)
	}
	fmt.Fprintf(w, "Read      order %s (number %s): %s (%s), %d vouchers, purchased %s\n",
		got.ID, got.OrderNumber, got.Status, got.Status.Status(), len(got.Vouchers()), got.PurchasedAt.Format(time.RFC3339))

	cancelled, err := c.Orders.Cancel(ctx, placed.ID)
	if err != nil {
		return fmt.Errorf("cancelling order %s: %w", placed.ID, err)
	}
	if cancelled == nil { // the API may answer a cancel without a body
		if cancelled, err = c.Orders.Get(ctx, placed.ID); err != nil {
			return fmt.Errorf("reading cancelled order %s: %w", placed.ID, err)
		}
	}
	fmt.Fprintf(w, "Cancelled order %s (number %s): %s (%s), %d vouchers\n",
		cancelled.ID, cancelled.OrderNumber, cancelled.Status, cancelled.Status.Status(), len(cancelled.Vouchers()))
	return printVouchers(w, cancelled)
}

func printVouchers(w io.Writer, o *adility.Order) error {
	tw := table(w)
	fmt.Fprintln(tw, "  VOUCHER\tCODE\tSTATUS\tEXPIRES")
	for _, v := range o.Vouchers() {
		expires := "-"
		if !v.ExpirationDate.IsZero() {
			expires = v.ExpirationDate.Format(time.DateOnly)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", v.ID, v.RedemptionCode, v.Status, expires)
	}
	return tw.Flush()
}
