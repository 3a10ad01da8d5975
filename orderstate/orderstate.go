// Package orderstate holds the order states the orderkit clients share: the
// State bitmask Inventorum sends, and one common Status that every client maps
// its own states onto, so code that handles orders from several APIs can
// branch on one type.
//
//	var s orderstate.State = 360
//	s.Has(orderstate.Paid)   // true
//	s.String()               // "PAID|SHIPPED|DELIVERED|CLOSED"
//	s.Status()               // orderstate.StatusCompleted
package orderstate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// State is Inventorum's order state, a bitmask of the flags below. Bits the
// API may add later are kept and shown by String.
type State uint32

// The documented state flags.
const (
	Draft     State = 1   // all is possible with this state
	Pending   State = 2   // temporarily frozen, waiting for money
	Canceled  State = 4   // end of processing, nothing will happen
	Closed    State = 8   // frozen, indicator for is_paid
	Refunded  State = 16  // end of processing, has been returned
	Shipped   State = 32  // frozen, can only be delivered or refunded
	Delivered State = 64  // frozen, can only be refunded
	TestPrint State = 128 // a test print
	Paid      State = 256
	Read      State = 512

	// Completed is what the API calls a completed order: paid, shipped,
	// delivered and closed (360).
	Completed = Paid | Shipped | Delivered | Closed
)

// flagOrder is the order String lists flags in: the order's life from draft
// to closed, then the end states, then the markers.
var flagOrder = []struct {
	flag State
	name string
}{
	{Draft, "DRAFT"}, {Pending, "PENDING"}, {Paid, "PAID"}, {Shipped, "SHIPPED"},
	{Delivered, "DELIVERED"}, {Closed, "CLOSED"}, {Canceled, "CANCELED"},
	{Refunded, "REFUNDED"}, {TestPrint, "TEST_PRINT"}, {Read, "READ"},
}

const known = Draft | Pending | Canceled | Closed | Refunded | Shipped | Delivered | TestPrint | Paid | Read

// Has reports whether every bit of flags is set in s.
func (s State) Has(flags State) bool { return s&flags == flags }

// Unknown returns the bits of s that are not documented flags.
func (s State) Unknown() State { return s &^ known }

// String lists the flags joined by "|" ("PAID|SHIPPED|DELIVERED|CLOSED");
// undocumented bits appear as hexadecimal ("PAID|0x400"); no bits is "0".
func (s State) String() string {
	if s == 0 {
		return "0"
	}
	var parts []string
	for _, f := range flagOrder {
		if s&f.flag != 0 {
			parts = append(parts, f.name)
		}
	}
	if u := s.Unknown(); u != 0 {
		for u != 0 {
			bit := State(1) << bits.TrailingZeros32(uint32(u))
			parts = append(parts, fmt.Sprintf("0x%x", uint32(bit)))
			u &^= bit
		}
	}
	return strings.Join(parts, "|")
}

// Status maps the bitmask onto the common Status. The end states win:
// refunded, then canceled; then all four completion flags make it completed;
// pending is pending; a draft is open; an order that has some but not all of
// the completion flags is still open.
func (s State) Status() Status {
	switch {
	case s.Has(Refunded):
		return StatusRefunded
	case s.Has(Canceled):
		return StatusCanceled
	case s.Has(Completed):
		return StatusCompleted
	case s.Has(Pending):
		return StatusPending
	case s&(Draft|Paid|Shipped|Delivered|Closed) != 0:
		return StatusOpen
	default:
		return StatusUnknown
	}
}

// MarshalJSON writes the state as a number.
func (s State) MarshalJSON() ([]byte, error) { return strconv.AppendUint(nil, uint64(s), 10), nil }

// UnmarshalJSON reads a number (360) or a string of digits ("01", as the
// basket answer sends). Anything else is an error.
func (s *State) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	text := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &text); err != nil {
			return fmt.Errorf("orderstate: invalid state %.40q", b)
		}
	}
	n, err := strconv.ParseUint(strings.TrimSpace(text), 10, 32)
	if err != nil {
		return fmt.Errorf("orderstate: invalid state %.40q", text)
	}
	*s = State(n)
	return nil
}

// Status is the common order status every orderkit client maps its own
// states onto.
type Status int

// The common statuses.
const (
	StatusUnknown   Status = iota // a state the client does not know
	StatusOpen                    // being worked on: draft, paid but not shipped, active
	StatusPending                 // waiting for money or for the vendor
	StatusCompleted               // paid and fulfilled
	StatusCanceled                // canceled before fulfilment
	StatusRefunded                // refunded or returned after fulfilment
	StatusFailed                  // the vendor could not fulfil it
)

var statusNames = [...]string{"unknown", "open", "pending", "completed", "canceled", "refunded", "failed"}

// String returns the lower-case name: "completed".
func (s Status) String() string {
	if s < 0 || int(s) >= len(statusNames) {
		return "Status(" + strconv.Itoa(int(s)) + ")"
	}
	return statusNames[s]
}

// IsFinal reports whether nothing more will happen to an order in this
// status (completed, canceled, refunded or failed).
func (s Status) IsFinal() bool {
	return s == StatusCompleted || s == StatusCanceled || s == StatusRefunded || s == StatusFailed
}

// MarshalText writes the name, so a Status reads well in JSON and logs.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a name written by MarshalText.
func (s *Status) UnmarshalText(b []byte) error {
	for i, n := range statusNames {
		if string(b) == n {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("orderstate: unknown status %.40q", b)
}
