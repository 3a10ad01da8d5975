module github.com/orderkit/orderkit

go 1.24.0

require (
	github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
	github.com/hashicorp/go-retryablehttp v0.7.8 // indirect
	github.com/shopspring/decimal v1.6.0 // indirect
	golang.org/x/time v0.14.0 // indirect
)
