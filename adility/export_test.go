package adility

import "github.com/orderkit/orderkit"

// Evidence returns what a lost Place recorded for Resolve: the 2xx status
// of an answer that arrived but could not be read, and an order id read
// from it.
func Evidence(lost *orderkit.LostCreateError) (answered int, orderID ID) {
	ev, _ := lost.Evidence.(*placeEvidence)
	if ev == nil {
		return 0, ""
	}
	return ev.answered, ev.orderID
}

// SentRequest returns the copy of the request a lost Place sent, which
// PlaceAgain sends again.
func SentRequest(lost *orderkit.LostCreateError) *PlaceRequest {
	ev, _ := lost.Evidence.(*placeEvidence)
	if ev == nil {
		return nil
	}
	return ev.sent
}

// NewLostPlace returns the error of a Place of req whose answer was lost
// before any 2xx arrived.
func NewLostPlace(req *PlaceRequest) *orderkit.LostCreateError {
	return &orderkit.LostCreateError{API: apiName, Request: req, Reference: req.OrderNumber,
		Err: orderkit.ErrOutcomeUnknown, Evidence: &placeEvidence{sent: copyRequest(req)}}
}

// NewLostAnswer returns the error of a Place of req answered with a 2xx
// status that could not be read, in which orderID was found.
func NewLostAnswer(req *PlaceRequest, status int, orderID ID) *orderkit.LostCreateError {
	lost := NewLostPlace(req)
	ev := lost.Evidence.(*placeEvidence)
	ev.answered, ev.orderID = status, orderID
	return lost
}
