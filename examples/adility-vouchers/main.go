// Command adility-vouchers places an order with the Adility Distribution API,
// prints the vouchers it bought, reads the order back and, with -cancel,
// cancels it with all its vouchers.
//
//	adility-vouchers [-offer ID] [-quantity N] [-customer NAME] [-cancel]
//
// With ADILITY_API_KEY set it talks to ADILITY_BASE_URL (default: Adility's
// documented http test host, which it opts in to explicitly) and -offer is
// required; without it, it runs on the in-memory fake from
// adility/adilitytest. ADILITY_FORMAT=xml switches the wire format from JSON
// to XML. Each run uses a fresh, unique order number, or the one given with
// -number.
//
// When the answer to the Place is lost, the program reads what arrived of
// it (Resolve) and, when that cannot tell, sends the same Place again with
// the same order number (PlaceAgain: Adility keeps order numbers unique, so
// that cannot place a second order). It prints what is known: the order with
// its vouchers, or that the order was placed but the API offers no way to
// read it by its number. It never places again under another number.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/adility"
	"github.com/orderkit/orderkit/adility/adilitytest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "adility-vouchers:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("adility-vouchers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	offer := fs.String("offer", "", "id of the offer to buy (required with ADILITY_API_KEY; the fake's demo offer otherwise)")
	quantity := fs.Int("quantity", 1, "units to buy: one voucher each")
	customer := fs.String("customer", "John Smith", "customer name on the order and its vouchers")
	cancel := fs.Bool("cancel", false, "cancel the order (and all its vouchers) after reading it back")
	number := fs.String("number", "", "order number to use (default: a fresh one); Adility refuses a number used before")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}

	opts := []orderkit.Option{orderkit.WithTimeout(30 * time.Second)}
	switch f := strings.ToLower(strings.TrimSpace(getenv("ADILITY_FORMAT"))); f {
	case "", "json":
	case "xml":
		opts = append(opts, adility.WithFormat(adility.XML))
	default:
		return fmt.Errorf("ADILITY_FORMAT=%q: want json or xml", f)
	}

	key := getenv("ADILITY_API_KEY")
	if key == "" {
		fake := adilitytest.NewServer()
		srv := httptest.NewServer(fake)
		defer srv.Close()
		key = adilitytest.DefaultAPIKey
		opts = append(opts, orderkit.WithBaseURL(adilitytest.BaseURL(srv.URL)))
		if *offer == "" {
			*offer = adilitytest.DemoOfferID
		}
		fmt.Fprintln(stderr, "ADILITY_API_KEY is not set: running on the in-memory fake")
	} else {
		base := getenv("ADILITY_BASE_URL")
		if base == "" {
			base = adility.TestBaseURL
		}
		opts = append(opts, orderkit.WithBaseURL(base))
		if strings.TrimRight(base, "/") == adility.TestBaseURL {
			// The documented test host is plain http: opt in knowingly.
			opts = append(opts, orderkit.WithInsecureHTTP())
		}
		if *offer == "" {
			return errors.New("-offer is required with ADILITY_API_KEY")
		}
	}

	c, err := adility.NewClient(key, opts...)
	if err != nil {
		return err
	}
	if *number == "" {
		if *number, err = orderNumber(); err != nil {
			return err
		}
	}

	var meta orderkit.Response
	o, err := c.Orders.Place(ctx, &adility.PlaceRequest{
		OrderNumber:  *number,
		CustomerName: *customer,
		Items:        []adility.PlaceItem{{OfferID: adility.ID(*offer), Quantity: *quantity}},
	}, orderkit.CaptureResponse(&meta))
	switch {
	case errors.Is(err, orderkit.ErrOutcomeUnknown):
		if o, err = settle(ctx, c, *number, err, stdout); err != nil {
			return err
		}
	case errors.Is(err, adility.ErrDuplicateOrderNumber):
		return fmt.Errorf("order number %s was used before (by an earlier run?); Adility does not read orders by number, so its vouchers cannot be fetched here: %w", *number, err)
	case err != nil:
		return err
	}
	fmt.Fprintf(stdout, "placed order %s (number %s): %s\n", o.ID, o.OrderNumber, o.Status)
	if meta.RequestID != "" {
		fmt.Fprintf(stdout, "request id %s\n", meta.RequestID)
	}
	printVouchers(stdout, o)

	got, err := c.Orders.Get(ctx, o.ID)
	if err != nil {
		return fmt.Errorf("reading order %s back: %w", o.ID, err)
	}
	fmt.Fprintf(stdout, "read back order %s: %s (%s), %d vouchers\n", got.ID, got.Status, got.Status.Status(), len(got.Vouchers()))

	if *cancel {
		cancelled, err := c.Orders.Cancel(ctx, o.ID)
		if err != nil {
			return fmt.Errorf("cancelling order %s: %w", o.ID, err)
		}
		if cancelled == nil { // the API answered without a body
			if cancelled, err = c.Orders.Get(ctx, o.ID); err != nil {
				return fmt.Errorf("reading cancelled order %s: %w", o.ID, err)
			}
		}
		fmt.Fprintf(stdout, "cancelled order %s: %s (%s)\n", cancelled.ID, cancelled.Status, cancelled.Status.Status())
		printVouchers(stdout, cancelled)
	}
	return nil
}

// settle settles a Place whose answer was lost, with its own order number:
// Resolve reads what can be read (the start of a cut answer may name the
// order); when that cannot tell, PlaceAgain sends the same Place with the
// same number, which Adility refuses if it was placed, so it is never placed
// twice. It returns the order, or an error saying what is known.
func settle(ctx context.Context, c *adility.Client, number string, lost error, stdout io.Writer) (*adility.Order, error) {
	fmt.Fprintf(stdout, "the answer to order number %s was lost: checking what arrived of it\n", number)
	res, err := c.Orders.Resolve(ctx, lost)
	if err != nil {
		return nil, fmt.Errorf("order number %s may have been placed and could not be checked; run again with -number %s (never another number): %w", number, number, err)
	}
	if res.State == orderkit.Created {
		fmt.Fprintf(stdout, "resolved: order number %s is placed, once\n", number)
		return res.Order, nil
	}
	err = res.Err()
	var placed *adility.PlacedError
	if !errors.As(err, &placed) {
		fmt.Fprintf(stdout, "sending the same Place again with number %s (Adility refuses a used number, so it is not placed twice)\n", number)
		o, perr := c.Orders.PlaceAgain(ctx, err)
		if perr == nil {
			fmt.Fprintf(stdout, "order number %s is placed, once\n", number)
			return o, nil
		}
		if !errors.As(perr, &placed) {
			return nil, fmt.Errorf("order number %s may have been placed; run again with -number %s (never another number): %w", number, number, perr)
		}
		err = perr
	}
	fmt.Fprintf(stdout, "order number %s is placed, but the API offers no way to read an order by its number:\n", number)
	if req := placed.Request; req != nil {
		for _, it := range req.Items {
			fmt.Fprintf(stdout, "  %d x offer %s for %s\n", it.Quantity, it.OfferID, req.CustomerName)
		}
	}
	fmt.Fprintln(stdout, "  ask Adility for its id and vouchers by the order number; do not place it again")
	return nil, fmt.Errorf("order number %s: placed, not readable: %w", number, err)
}

func printVouchers(w io.Writer, o *adility.Order) {
	for _, v := range o.Vouchers() {
		expires := "-"
		if !v.ExpirationDate.IsZero() {
			expires = v.ExpirationDate.Format("2006-01-02")
		}
		fmt.Fprintf(w, "  voucher %s  code %s  %s  expires %s  %s\n", v.ID, v.RedemptionCode, v.Status, expires, v.PrintURL)
	}
}

// orderNumber returns a fresh order number: Adility refuses a repeated one.
func orderNumber() (string, error) {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "orderkit-" + time.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b), nil
}
