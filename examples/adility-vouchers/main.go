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
// to XML. Each run uses a fresh, unique order number.
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
	quantity := fs.Int64("quantity", 1, "units to buy: one voucher each")
	customer := fs.String("customer", "John Smith", "customer name on the order and its vouchers")
	cancel := fs.Bool("cancel", false, "cancel the order (and all its vouchers) after reading it back")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}

	opts := []adility.Option{adility.WithTimeout(30 * time.Second)}
	switch f := strings.ToLower(strings.TrimSpace(getenv("ADILITY_FORMAT"))); f {
	case "", "json":
	case "xml":
		opts = append(opts, adility.WithFormat(adility.XML))
	default:
		return fmt.Errorf("ADILITY_FORMAT=%q: want json or xml", f)
	}

	key := getenv("ADILITY_API_KEY")
	if key == "" {
		fake := adilitytest.NewServer(adilitytest.APIKey)
		srv := httptest.NewServer(fake)
		defer srv.Close()
		key = adilitytest.APIKey
		opts = append(opts, adility.WithBaseURL(adilitytest.BaseURL(srv.URL)))
		if *offer == "" {
			*offer = adilitytest.DemoOfferID
		}
		fmt.Fprintln(stderr, "ADILITY_API_KEY is not set: running on the in-memory fake")
	} else {
		base := getenv("ADILITY_BASE_URL")
		if base == "" {
			base = adility.TestBaseURL
		}
		opts = append(opts, adility.WithBaseURL(base))
		if strings.TrimRight(base, "/") == adility.TestBaseURL {
			// The documented test host is plain http: opt in knowingly.
			opts = append(opts, adility.WithInsecureHTTP())
		}
		if *offer == "" {
			return errors.New("-offer is required with ADILITY_API_KEY")
		}
	}

	c, err := adility.NewClient(key, opts...)
	if err != nil {
		return err
	}
	number, err := orderNumber()
	if err != nil {
		return err
	}

	o, err := c.Orders.Place(ctx, &adility.PlaceRequest{
		OrderNumber:  number,
		CustomerName: *customer,
		Items:        []adility.PlaceItem{{OfferID: *offer, Quantity: *quantity}},
	})
	if errors.Is(err, adility.ErrOutcomeUnknown) {
		return fmt.Errorf("order %s may have been placed; check it before trying again: %w", number, err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "placed order %s (number %s): %s\n", o.ID, o.OrderNumber, o.Status)
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
