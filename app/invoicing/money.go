package invoicing

import (
	"strings"

	"github.com/shopspring/decimal"
)

// Money is an amount in one currency. Currency is an ISO 4217 code such as "EUR".
type Money struct {
	Amount   decimal.Decimal
	Currency string
}

// String formats the amount with the currency's decimals and its code, e.g. "1234.50 EUR".
func (m Money) String() string {
	return m.Amount.StringFixed(CurrencyDecimals(m.Currency)) + " " + m.Currency
}

// AmountText writes an amount with at least the currency's decimals (29.90 for 29.9 USD), keeping any
// further ones a unit price carries (0.125), for showing and editing prices.
func AmountText(amount decimal.Decimal, currency string) string {
	places := CurrencyDecimals(currency)
	s := amount.String() // without trailing zeros
	if i := strings.IndexByte(s, '.'); i >= 0 && int32(len(s)-i-1) > places {
		return s
	}
	return amount.StringFixed(places)
}

// Round returns m rounded to its currency's decimals (see RoundAmount).
func (m Money) Round() Money {
	return Money{Amount: RoundAmount(m.Amount, m.Currency), Currency: m.Currency}
}

// RoundAmount rounds an amount to the currency's number of decimals, halves
// away from zero (2.345 → 2.35, -2.345 → -2.35).
//
// UNVERIFIED: the QuickBooks API notes (api/quickbooks.md) do not state the
// rounding mode. We use commercial rounding, half away from zero (shopspring's
// Round); third-party write-ups of QuickBooks tax rounding agree (6.615 → 6.62)
// but none is Intuit's. A sandbox invoice with an x.xx5 line would settle it.
func RoundAmount(amount decimal.Decimal, currency string) decimal.Decimal {
	return amount.Round(CurrencyDecimals(currency))
}

// CurrencyDecimals returns the number of minor-unit decimals of an ISO 4217
// currency: 0 for JPY, 3 for KWD, 2 for most, and 2 for unknown codes.
func CurrencyDecimals(code string) int32 {
	switch strings.ToUpper(code) {
	case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
		"RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF":
		return 0
	case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
		return 3
	}
	return 2
}

// IsISOCurrency reports whether code is an active ISO 4217 currency code
// (upper case). Pipedrive's custom currencies are not, and QuickBooks cannot
// invoice in them.
func IsISOCurrency(code string) bool {
	return isoCurrencies[code]
}

// isoCurrencies lists the active ISO 4217 codes (funds and precious metals
// excluded: QuickBooks cannot invoice in them).
var isoCurrencies = func() map[string]bool {
	const codes = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL " +
		"BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP " +
		"ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR " +
		"IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL " +
		"LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR " +
		"NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD " +
		"SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX " +
		"USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG"
	set := make(map[string]bool)
	for _, c := range strings.Fields(codes) {
		set[c] = true
	}
	return set
}()
