package orderstate_test

import (
	"encoding/json"
	"fmt"

	"github.com/orderkit/orderkit/orderstate"
)

func Example() {
	var order struct {
		State orderstate.State `json:"state"`
	}
	if err := json.Unmarshal([]byte(`{"state": 360}`), &order); err != nil {
		panic(err)
	}
	fmt.Println(order.State)
	fmt.Println(order.State.Has(orderstate.Paid))
	fmt.Println(order.State.Status(), order.State.Status().IsFinal())

	// Bits the API adds later are kept and shown.
	fmt.Println(orderstate.Paid | 1024)
	// Output:
	// PAID|SHIPPED|DELIVERED|CLOSED
	// true
	// completed true
	// PAID|0x400
}
