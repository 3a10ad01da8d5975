package money_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/orderkit/orderkit/money"
)

func TestFormatDE(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, currency, want string
	}{
		{"1234.5", "€", "1.234,50 €"},
		{"1234567.891", "EUR", "1.234.567,89 EUR"},
		{"0", "€", "0,00 €"},
		{"999.995", "€", "1.000,00 €"}, // half away from zero carries into the thousands
		{"-1234.5", "€", "-1.234,50 €"},
		{"-0.004", "€", "0,00 €"}, // rounds to zero: no minus sign
		{"-0.005", "€", "-0,01 €"},
		{"100", "", "100,00"},
		{"5.8739495798", "€", "5,87 €"},
		{"123456", "€", "123.456,00 €"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, money.MustParse(tt.in).FormatDE(tt.currency))
		})
	}
}

func TestStringDE(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		places int32
		want   string
	}{
		{"1234.5", 2, "1234,50"},
		{"5.8739495798", -1, "5,8739495798"},
		{"5.8739495798", 2, "5,87"},
		{"19", 0, "19"},
		{"19", -1, "19"},
		{"-0.125", 2, "-0,13"},
		{"0E-10", 2, "0,00"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.in, "/", tt.places), func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, money.MustParse(tt.in).StringDE(tt.places))
		})
	}
}

func ExampleAmount_FormatDE() {
	a := money.MustParse("1234.5")
	fmt.Println(a.FormatDE("€"))
	fmt.Println(a.Format("EUR"))
	fmt.Println(a.StringDE(2))
	// Output:
	// 1.234,50 €
	// 1,234.50 EUR
	// 1234,50
}
