// Command attivita-order lists Attivita products with price and stock, buys
// one unit of the first product in stock and prints the order number, the
// total and the licence keys (grouped by licence pool for bundles).
//
// The order is sent once, never twice. If its answer is lost (the
// connection drops, a proxy answers 502, the answer is cut off), the program
// looks the order up in the order list (Orders.Resolve) and prints it as if
// the answer had arrived. It says the order was not placed only when the
// list proves it (attivita.SettleTime after the lost call); when the list
// cannot tell, it says the order may have been placed.
//
// Environment:
//
//	ATTIVITA_TOKEN     API token; without it the program runs on the
//	                   in-memory fake (attivitatest), so it works anywhere
//	ATTIVITA_BASE_URL  API root, taken as it is (default
//	                   https://api.attivita.de/api)
//	ATTIVITA_SANDBOX   "false" to buy for real; with a token the default is
//	                   sandbox mode, which spends nothing
//
// Flags: -product ID buys that product instead; -region DACH|EU|GLOBAL
// filters the list.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/attivita"
	"github.com/orderkit/orderkit/attivita/attivitatest"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "attivita-order: "+oneLine(err))
		os.Exit(1)
	}
}

// run is the program; main only wires it to the process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("attivita-order", flag.ContinueOnError)
	fs.SetOutput(stderr)
	productID := fs.String("product", "", "product id to buy (default: the first product in stock)")
	region := fs.String("region", "", "list only products valid in DACH, EU or GLOBAL")
	if err := fs.Parse(args); err != nil {
		return err
	}

	c, sandbox, onFake, stop, err := newClient(getenv, stdout)
	if err != nil {
		return err
	}
	defer stop()

	products, err := c.Products.List(ctx, &attivita.ListProductsOptions{Region: attivita.Region(strings.ToUpper(*region))})
	if err != nil {
		return fmt.Errorf("listing products: %w", err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PRODUCT\tID\tPRICE\tSTOCK\tREGION")
	var pick *attivita.Product
	for i, p := range products {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.String(), p.ID, p.Price.Format("EUR"), p.AvailableStock, p.ValidRegion)
		if pick == nil && ((*productID == "" && p.AvailableStock.InStock()) || p.ID == attivita.ID(*productID)) {
			pick = &products[i]
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if pick == nil {
		if *productID != "" {
			return fmt.Errorf("product %s is not in the list", *productID)
		}
		return errors.New("no product is in stock")
	}

	mode := "for real"
	switch {
	case sandbox:
		mode = "in sandbox mode"
	case onFake:
		mode = "on the fake"
	}
	fmt.Fprintf(stdout, "\nBuying 1 × %s (%s) %s\n", pick.String(), pick.Price.Format("EUR"), mode)
	var meta orderkit.Response
	order, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: pick.ID, Amount: 1}}}, orderkit.CaptureResponse(&meta))
	if errors.Is(err, orderkit.ErrOutcomeUnknown) {
		// The order may have been placed: look it up instead of buying
		// again.
		fmt.Fprintln(stdout, "The answer to the order was lost; looking the order up in the order list.")
		order, err = resolve(ctx, c, err)
	}
	if err != nil {
		return orderError(err)
	}
	printOrder(stdout, order)
	if meta.RequestID != "" {
		fmt.Fprintf(stdout, "Request id: %s\n", meta.RequestID)
	}
	return nil
}

// resolve finds the order a lost create placed, or says why it cannot.
// When the lookup itself fails, the error still says the order may have
// been placed.
func resolve(ctx context.Context, c *attivita.Client, lost error) (*attivita.Order, error) {
	r, err := c.Orders.Resolve(ctx, lost)
	if err != nil {
		return nil, fmt.Errorf("%w (the lookup failed: %w)", lost, err)
	}
	switch {
	case r.State == orderkit.Created:
		return r.Order, nil
	case r.State == orderkit.NotCreated:
		// Only once the list shows everything the lost call could have
		// made: safe to buy again.
		return nil, fmt.Errorf("not bought: the answer was lost and the order list shows no such order as of %s: %w",
			r.AsOf.Format(time.RFC3339), r.Err())
	case r.State == orderkit.Ambiguous && len(r.Candidates) == 0:
		// Too soon after the lost call, or a list that does not show
		// such orders: nothing proves the order was not placed.
		return nil, fmt.Errorf("the order may have been placed: the order list does not show it (yet); check it again in %s, and before buying again: %w",
			attivita.SettleTime, r.Err())
	}
	return nil, r.Err()
}

// newClient builds the client from the environment, or starts the fake.
func newClient(getenv func(string) string, stdout io.Writer) (c *attivita.Client, sandbox, onFake bool, stop func(), err error) {
	stop = func() {}
	token := strings.TrimSpace(getenv("ATTIVITA_TOKEN"))
	var opts []orderkit.Option
	sandbox = token != "" // sandbox by default against the real API
	if v := strings.TrimSpace(getenv("ATTIVITA_SANDBOX")); v != "" {
		if sandbox, err = strconv.ParseBool(v); err != nil {
			return nil, false, false, stop, fmt.Errorf("ATTIVITA_SANDBOX=%q is not true or false", v)
		}
	}
	if token == "" {
		onFake = true
		fake := attivitatest.NewServer()
		fake.SeedDemo()
		srv := httptest.NewServer(fake)
		stop = srv.Close
		token = attivitatest.DefaultToken
		opts = append(opts, orderkit.WithBaseURL(attivitatest.BaseURL(srv.URL)))
		fmt.Fprintln(stdout, "No ATTIVITA_TOKEN set: running on the in-memory Attivita fake.")
	} else if base := strings.TrimSpace(getenv("ATTIVITA_BASE_URL")); base != "" {
		opts = append(opts, orderkit.WithBaseURL(base))
	}
	if sandbox {
		opts = append(opts, attivita.WithSandbox())
	}
	c, err = attivita.NewClient(token, opts...)
	if err != nil {
		stop()
		return nil, false, false, func() {}, err
	}
	return c, sandbox, onFake, stop, nil
}

func printOrder(w io.Writer, o *attivita.Order) {
	fmt.Fprintf(w, "Order %d: %s, total %s\n", o.OrderNumber, o.Status, o.GrandTotal.Format("EUR"))
	if o.SandboxNotice != "" {
		fmt.Fprintf(w, "Sandbox: %s\n", o.SandboxNotice)
	}
	for _, it := range o.Items {
		fmt.Fprintf(w, "%d × %s at %s\n", it.Quantity, it.ProductName, it.Price.Format("EUR"))
		for _, g := range it.KeysByPool() {
			indent := "  "
			if g.PoolID != "" {
				fmt.Fprintf(w, "  %s (%s):\n", g.PoolName, g.ProductName)
				indent = "    "
			}
			for _, k := range g.Keys {
				fmt.Fprintf(w, "%s%s\n", indent, k)
			}
		}
	}
}

// orderError says what a failed purchase means for the buyer.
func orderError(err error) error {
	var short *attivita.InsufficientStockError
	switch {
	case errors.As(err, &short):
		return fmt.Errorf("not bought, stock too low: %w", short)
	case errors.Is(err, attivita.ErrCreditLimitExceeded):
		return fmt.Errorf("not bought, credit limit reached: %w", err)
	case errors.Is(err, orderkit.ErrNotCreated), strings.HasPrefix(err.Error(), "the order may have been placed"):
		return err
	case errors.Is(err, orderkit.ErrAmbiguous):
		// One candidate or several: the list cannot tell which, if any, is
		// this call's order.
		return fmt.Errorf("the order may have been placed, and the order list cannot tell which identical order is this one's; check it before buying again: %w", err)
	case errors.Is(err, orderkit.ErrOutcomeUnknown):
		return fmt.Errorf("the order may have been placed; check the order list before buying again: %w", err)
	}
	return fmt.Errorf("buying: %w", err)
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }
