package money_test

import (
	"encoding/json"
	"fmt"

	"github.com/orderkit/orderkit/money"
)

func Example() {
	net, err := money.Parse("179.98")
	if err != nil {
		panic(err)
	}
	vat := net.VAT(money.MustParse("19")) // 19 %, rounded half away from zero
	gross := net.Add(vat)

	fmt.Println(vat.StringFixed(2))
	fmt.Println(gross.Format("EUR"))
	fmt.Println(money.MustParse("1234567.891").Format("EUR"))

	// The APIs send prices as numbers and as strings; both read the same.
	var line struct {
		Price money.Amount `json:"price"`
		Net   money.Quoted `json:"net"`
	}
	if err := json.Unmarshal([]byte(`{"price":89.99,"net":"5.8739495798"}`), &line); err != nil {
		panic(err)
	}
	out, _ := json.Marshal(line)
	fmt.Println(string(out))
	// Output:
	// 34.20
	// 214.18 EUR
	// 1,234,567.89 EUR
	// {"price":89.99,"net":"5.8739495798"}
}
