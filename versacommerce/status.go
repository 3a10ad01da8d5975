package versacommerce

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/orderkit/orderkit/internal/wire"
	"github.com/orderkit/orderkit/orderstate"
)

// OrderStatus is an order's status as the shop names it.
type OrderStatus string

// The documented order statuses.
const (
	OrderStatusOpen       OrderStatus = "open"        // new order
	OrderStatusInProgress OrderStatus = "in_progress" // processing started
	OrderStatusCanceled   OrderStatus = "canceled"    // canceled; also read from "cancelled"
	OrderStatusClosed     OrderStatus = "closed"      // sent and paid
	OrderStatusReturned   OrderStatus = "returned"    // returned to the seller
	// OrderStatusOpenOrInProgress is accepted as a filter and as
	// OrderRequest.NewStatus; orders never carry it.
	OrderStatusOpenOrInProgress OrderStatus = "open_or_in_progress"
)

// String returns the shop's name for the status.
func (s OrderStatus) String() string { return string(s) }

// Status maps the status onto the common orderstate.Status: open and
// in_progress are open, closed is completed, canceled is canceled, returned
// is refunded.
func (s OrderStatus) Status() orderstate.Status {
	switch s {
	case OrderStatusOpen, OrderStatusInProgress, OrderStatusOpenOrInProgress:
		return orderstate.StatusOpen
	case OrderStatusClosed:
		return orderstate.StatusCompleted
	case OrderStatusCanceled:
		return orderstate.StatusCanceled
	case OrderStatusReturned:
		return orderstate.StatusRefunded
	}
	return orderstate.StatusUnknown
}

func (s OrderStatus) valid() bool { return s.Status() != orderstate.StatusUnknown }

// UnmarshalJSON reads the status, spelling "cancelled" as "canceled". A
// status this package does not know is kept as sent.
func (s *OrderStatus) UnmarshalJSON(b []byte) error {
	v, err := readStatus(b)
	*s = OrderStatus(v)
	return err
}

// PaymentStatus is how far an order is paid.
type PaymentStatus string

// The documented payment statuses.
const (
	PaymentStatusNotPaid        PaymentStatus = "not_paid"
	PaymentStatusReserved       PaymentStatus = "reserved"
	PaymentStatusPartialPayment PaymentStatus = "partial_payment"
	PaymentStatusPaid           PaymentStatus = "paid"
	PaymentStatusCaptured       PaymentStatus = "captured"
	PaymentStatusOverpaid       PaymentStatus = "overpaid"
	PaymentStatusDeclined       PaymentStatus = "declined"
	PaymentStatusCaptureError   PaymentStatus = "capture_error"
)

// String returns the shop's name for the status.
func (s PaymentStatus) String() string { return string(s) }

// Status maps the payment status onto orderstate.Status: not yet (fully)
// paid is pending, paid/captured/overpaid is completed, declined and
// capture_error are failed.
func (s PaymentStatus) Status() orderstate.Status {
	switch s {
	case PaymentStatusNotPaid, PaymentStatusReserved, PaymentStatusPartialPayment:
		return orderstate.StatusPending
	case PaymentStatusPaid, PaymentStatusCaptured, PaymentStatusOverpaid:
		return orderstate.StatusCompleted
	case PaymentStatusDeclined, PaymentStatusCaptureError:
		return orderstate.StatusFailed
	}
	return orderstate.StatusUnknown
}

func (s PaymentStatus) valid() bool { return s.Status() != orderstate.StatusUnknown }

// ItemStatus is the delivery status of an item, and of an order's items as
// a whole (Order.ItemsStatus).
type ItemStatus string

// The documented item statuses.
const (
	ItemStatusUndelivered     ItemStatus = "undelivered"
	ItemStatusBackorder       ItemStatus = "backorder"
	ItemStatusPacking         ItemStatus = "packing"
	ItemStatusPartialPacking  ItemStatus = "partial_packing"
	ItemStatusPartialDelivery ItemStatus = "partial_delivery"
	ItemStatusShipped         ItemStatus = "shipped"
	ItemStatusDelivered       ItemStatus = "delivered"
	ItemStatusCanceled        ItemStatus = "canceled" // also read from "cancelled"
	ItemStatusReturned        ItemStatus = "returned"
)

// String returns the shop's name for the status.
func (s ItemStatus) String() string { return string(s) }

// Status maps the item status onto orderstate.Status: not yet (fully)
// shipped is open, shipped and delivered are completed, canceled is
// canceled, returned is refunded.
func (s ItemStatus) Status() orderstate.Status {
	switch s {
	case ItemStatusUndelivered, ItemStatusBackorder, ItemStatusPacking, ItemStatusPartialPacking, ItemStatusPartialDelivery:
		return orderstate.StatusOpen
	case ItemStatusShipped, ItemStatusDelivered:
		return orderstate.StatusCompleted
	case ItemStatusCanceled:
		return orderstate.StatusCanceled
	case ItemStatusReturned:
		return orderstate.StatusRefunded
	}
	return orderstate.StatusUnknown
}

func (s ItemStatus) valid() bool { return s.Status() != orderstate.StatusUnknown }

// UnmarshalJSON reads the status, spelling "cancelled" as "canceled".
func (s *ItemStatus) UnmarshalJSON(b []byte) error {
	v, err := readStatus(b)
	*s = ItemStatus(v)
	return err
}

// PaymentType is the payment method of an order. The page names "misc"
// (what orders created over the API usually carry) and shows "cod"; a shop
// may use others, which are kept as sent.
type PaymentType string

// Known payment types.
const (
	PaymentTypeMisc PaymentType = "misc" // miscellaneous; the usual type for API orders
	PaymentTypeCOD  PaymentType = "cod"  // cash on delivery
)

// String returns the payment type's name.
func (t PaymentType) String() string { return string(t) }

// ShippingType is the shipping method of an order, as named in the shop.
type ShippingType string

// String returns the shipping type's name.
func (t ShippingType) String() string { return string(t) }

// TaxCategory is an item's tax category.
type TaxCategory string

// The documented tax categories.
const (
	TaxCategoryStandard TaxCategory = "standard"
	TaxCategoryReduced  TaxCategory = "reduced"
)

// DiscountType says how an item's Discount is meant.
type DiscountType string

// The documented discount types.
const (
	DiscountMoney   DiscountType = "money"   // Discount is an amount
	DiscountPercent DiscountType = "percent" // Discount is a percentage
)

// Include names an association List and Get can nest in each order.
type Include string

// The documented associations.
const (
	IncludeItems     Include = "items"
	IncludeShipments Include = "shipments"
	IncludePayments  Include = "payments"
	IncludeHistories Include = "histories"
)

// known holds the documented names of statuses and types, so that reading
// one does not allocate a string.
var known = func() map[string]string {
	m := map[string]string{"cancelled": "canceled"}
	for _, v := range []string{
		"open", "in_progress", "canceled", "closed", "returned", "open_or_in_progress",
		"not_paid", "reserved", "partial_payment", "paid", "captured", "overpaid", "declined", "capture_error",
		"undelivered", "backorder", "packing", "partial_packing", "partial_delivery", "shipped", "delivered",
	} {
		m[v] = v
	}
	return m
}()

// readStatus reads a status string (null is empty), folding the British
// spelling the API also sends.
func readStatus(b []byte) (string, error) {
	b = bytes.TrimSpace(b)
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		if v, ok := known[string(b[1:len(b)-1])]; ok {
			return v, nil
		}
	}
	if string(b) == "null" {
		return "", nil
	}
	s, ok := wire.Unquote(b)
	if !ok {
		return "", fmt.Errorf("status is not a string: %.40q", b)
	}
	if t := strings.TrimSpace(s); t != s || strings.ContainsAny(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		s = strings.ToLower(t)
	}
	if v, ok := known[s]; ok {
		return v, nil
	}
	return s, nil
}

// UnmarshalJSON reads the payment status; null is empty.
func (s *PaymentStatus) UnmarshalJSON(b []byte) error {
	v, err := readStatus(b)
	*s = PaymentStatus(v)
	return err
}
