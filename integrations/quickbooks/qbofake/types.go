package qbofake

import (
	"bytes"
	"fmt"

	"github.com/shopspring/decimal"
)

// The fake keeps its own wire types rather than sharing the client's, so
// that a mistake in one is not silently mirrored by the other.

// Num is a JSON number held exactly.
type Num struct{ decimal.Decimal }

// N returns a Num from a decimal string such as "12.50"; it panics on a bad
// literal, so use it with constants.
func N(s string) *Num { return &Num{decimal.RequireFromString(s)} }

func num(d decimal.Decimal) *Num { return &Num{d} }

// UnmarshalJSON reads a JSON number.
func (n *Num) UnmarshalJSON(b []byte) error {
	d, err := decimal.NewFromString(string(bytes.Trim(b, `"`)))
	if err != nil {
		return fmt.Errorf("number %s: %w", b, err)
	}
	if exp := d.Exponent(); exp < -40 || exp > 40 {
		return fmt.Errorf("number %s out of range", b)
	}
	n.Decimal = d
	return nil
}

// MarshalJSON writes a JSON number with its own decimal places.
func (n Num) MarshalJSON() ([]byte, error) {
	if exp := n.Exponent(); exp < 0 {
		return []byte(n.StringFixed(-exp)), nil
	}
	return []byte(n.String()), nil
}

func (n *Num) dec() decimal.Decimal {
	if n == nil {
		return decimal.Zero
	}
	return n.Decimal
}

// Ref refers to another object by Id (or a currency or tax pseudo-code).
type Ref struct {
	Value string `json:"value"`
	Name  string `json:"name,omitempty"`
}

// MetaData holds creation and update times (RFC 3339 with offset).
type MetaData struct {
	CreateTime      string `json:"CreateTime"`
	LastUpdatedTime string `json:"LastUpdatedTime"`
}

// Address is a postal address.
type Address struct {
	ID                     string `json:"Id,omitempty"`
	Line1                  string `json:"Line1,omitempty"`
	Line2                  string `json:"Line2,omitempty"`
	Line3                  string `json:"Line3,omitempty"`
	City                   string `json:"City,omitempty"`
	CountrySubDivisionCode string `json:"CountrySubDivisionCode,omitempty"`
	PostalCode             string `json:"PostalCode,omitempty"`
	Country                string `json:"Country,omitempty"`
}

// Email wraps an e-mail address.
type Email struct {
	Address string `json:"Address"`
}

// Customer is a customer of the fake company.
type Customer struct {
	ID                 string    `json:"Id,omitempty"`
	SyncToken          string    `json:"SyncToken,omitempty"`
	Domain             string    `json:"domain,omitempty"`
	Sparse             bool      `json:"sparse"`
	MetaData           *MetaData `json:"MetaData,omitempty"`
	DisplayName        string    `json:"DisplayName,omitempty"`
	GivenName          string    `json:"GivenName,omitempty"`
	FamilyName         string    `json:"FamilyName,omitempty"`
	CompanyName        string    `json:"CompanyName,omitempty"`
	FullyQualifiedName string    `json:"FullyQualifiedName,omitempty"`
	PrintOnCheckName   string    `json:"PrintOnCheckName,omitempty"`
	PrimaryEmailAddr   *Email    `json:"PrimaryEmailAddr,omitempty"`
	PrimaryPhone       *struct {
		FreeFormNumber string `json:"FreeFormNumber"`
	} `json:"PrimaryPhone,omitempty"`
	BillAddr             *Address `json:"BillAddr,omitempty"`
	ShipAddr             *Address `json:"ShipAddr,omitempty"`
	Notes                string   `json:"Notes,omitempty"`
	Taxable              *bool    `json:"Taxable,omitempty"`
	DefaultTaxCodeRef    *Ref     `json:"DefaultTaxCodeRef,omitempty"`
	SalesTermRef         *Ref     `json:"SalesTermRef,omitempty"`
	CurrencyRef          *Ref     `json:"CurrencyRef,omitempty"`
	PrimaryTaxIdentifier string   `json:"PrimaryTaxIdentifier,omitempty"`
	ResaleNum            string   `json:"ResaleNum,omitempty"`
	Balance              *Num     `json:"Balance,omitempty"`
	BalanceWithJobs      *Num     `json:"BalanceWithJobs,omitempty"`
	Job                  bool     `json:"Job"`
	Active               *bool    `json:"Active,omitempty"`
}

// Item is a product or service.
type Item struct {
	ID                 string    `json:"Id,omitempty"`
	SyncToken          string    `json:"SyncToken,omitempty"`
	Domain             string    `json:"domain,omitempty"`
	MetaData           *MetaData `json:"MetaData,omitempty"`
	Name               string    `json:"Name"`
	FullyQualifiedName string    `json:"FullyQualifiedName,omitempty"`
	Sku                string    `json:"Sku,omitempty"`
	Description        string    `json:"Description,omitempty"`
	Type               string    `json:"Type"`
	Active             *bool     `json:"Active,omitempty"`
	Taxable            *bool     `json:"Taxable,omitempty"`
	UnitPrice          *Num      `json:"UnitPrice,omitempty"`
	IncomeAccountRef   *Ref      `json:"IncomeAccountRef,omitempty"`
}

// TaxRate is a tax rate in percent.
type TaxRate struct {
	ID             string    `json:"Id,omitempty"`
	SyncToken      string    `json:"SyncToken,omitempty"`
	Domain         string    `json:"domain,omitempty"`
	MetaData       *MetaData `json:"MetaData,omitempty"`
	Name           string    `json:"Name"`
	Description    string    `json:"Description,omitempty"`
	Active         *bool     `json:"Active,omitempty"`
	RateValue      *Num      `json:"RateValue"`
	AgencyRef      *Ref      `json:"AgencyRef,omitempty"`
	SpecialTaxType string    `json:"SpecialTaxType,omitempty"`
	DisplayType    string    `json:"DisplayType,omitempty"`
}

// TaxCode is a tax code (or group) listing the rates it applies on sales.
type TaxCode struct {
	ID                  string       `json:"Id,omitempty"`
	SyncToken           string       `json:"SyncToken,omitempty"`
	Domain              string       `json:"domain,omitempty"`
	MetaData            *MetaData    `json:"MetaData,omitempty"`
	Name                string       `json:"Name"`
	Description         string       `json:"Description,omitempty"`
	Active              *bool        `json:"Active,omitempty"`
	Taxable             *bool        `json:"Taxable,omitempty"`
	TaxGroup            *bool        `json:"TaxGroup,omitempty"`
	SalesTaxRateList    TaxRateList  `json:"SalesTaxRateList"`
	PurchaseTaxRateList *TaxRateList `json:"PurchaseTaxRateList,omitempty"`
}

// TaxRateList lists rates of a tax code.
type TaxRateList struct {
	TaxRateDetail []TaxRateDetail `json:"TaxRateDetail"`
}

// TaxRateDetail refers to one rate.
type TaxRateDetail struct {
	TaxRateRef        Ref    `json:"TaxRateRef"`
	TaxTypeApplicable string `json:"TaxTypeApplicable,omitempty"`
	TaxOrder          int    `json:"TaxOrder"`
}

// Term is a payment term.
type Term struct {
	ID           string    `json:"Id,omitempty"`
	SyncToken    string    `json:"SyncToken,omitempty"`
	Domain       string    `json:"domain,omitempty"`
	MetaData     *MetaData `json:"MetaData,omitempty"`
	Name         string    `json:"Name"`
	Active       *bool     `json:"Active,omitempty"`
	Type         string    `json:"Type"`
	DueDays      int       `json:"DueDays"`
	DiscountDays int       `json:"DiscountDays"`
}

// Line is an invoice line.
type Line struct {
	ID                  string               `json:"Id,omitempty"`
	LineNum             int                  `json:"LineNum,omitempty"`
	Description         string               `json:"Description,omitempty"`
	Amount              *Num                 `json:"Amount,omitempty"`
	DetailType          string               `json:"DetailType"`
	SalesItemLineDetail *SalesItemLineDetail `json:"SalesItemLineDetail,omitempty"`
	SubTotalLineDetail  *struct{}            `json:"SubTotalLineDetail,omitempty"`
	DiscountLineDetail  *DiscountLineDetail  `json:"DiscountLineDetail,omitempty"`
}

// SalesItemLineDetail details a product or service line.
type SalesItemLineDetail struct {
	ItemRef     *Ref   `json:"ItemRef,omitempty"`
	Qty         *Num   `json:"Qty,omitempty"`
	UnitPrice   *Num   `json:"UnitPrice,omitempty"`
	TaxCodeRef  *Ref   `json:"TaxCodeRef,omitempty"`
	ServiceDate string `json:"ServiceDate,omitempty"`
	// TaxInclusiveAmt is the line's amount with tax (non-US TaxInclusive); Amount stays net.
	TaxInclusiveAmt *Num `json:"TaxInclusiveAmt,omitempty"`
}

// DiscountLineDetail details a discount line.
type DiscountLineDetail struct {
	PercentBased    bool `json:"PercentBased"`
	DiscountPercent *Num `json:"DiscountPercent,omitempty"`
}

// TxnTaxDetail is an invoice's tax summary.
type TxnTaxDetail struct {
	TxnTaxCodeRef *Ref      `json:"TxnTaxCodeRef,omitempty"`
	TotalTax      *Num      `json:"TotalTax"`
	TaxLine       []TaxLine `json:"TaxLine,omitempty"`
}

// TaxLine is the tax at one rate.
type TaxLine struct {
	Amount        *Num          `json:"Amount"`
	DetailType    string        `json:"DetailType"`
	TaxLineDetail TaxLineDetail `json:"TaxLineDetail"`
}

// TaxLineDetail says which rate and base a TaxLine uses.
type TaxLineDetail struct {
	TaxRateRef       Ref  `json:"TaxRateRef"`
	PercentBased     bool `json:"PercentBased"`
	TaxPercent       *Num `json:"TaxPercent"`
	NetAmountTaxable *Num `json:"NetAmountTaxable"`
}

// LinkedTxn links a transaction (a payment) to another.
type LinkedTxn struct {
	TxnID   string `json:"TxnId"`
	TxnType string `json:"TxnType"`
}

// DeliveryInfo records the last e-mail delivery.
type DeliveryInfo struct {
	DeliveryType string `json:"DeliveryType"`
	DeliveryTime string `json:"DeliveryTime"`
}

// Invoice is an invoice of the fake company.
type Invoice struct {
	ID                    string        `json:"Id,omitempty"`
	SyncToken             string        `json:"SyncToken,omitempty"`
	Domain                string        `json:"domain,omitempty"`
	Sparse                bool          `json:"sparse"`
	MetaData              *MetaData     `json:"MetaData,omitempty"`
	DocNumber             string        `json:"DocNumber,omitempty"`
	TxnDate               string        `json:"TxnDate,omitempty"`
	DueDate               string        `json:"DueDate,omitempty"`
	CurrencyRef           *Ref          `json:"CurrencyRef,omitempty"`
	ExchangeRate          *Num          `json:"ExchangeRate,omitempty"`
	CustomerRef           *Ref          `json:"CustomerRef,omitempty"`
	SalesTermRef          *Ref          `json:"SalesTermRef,omitempty"`
	Line                  []Line        `json:"Line"`
	TxnTaxDetail          *TxnTaxDetail `json:"TxnTaxDetail,omitempty"`
	GlobalTaxCalculation  string        `json:"GlobalTaxCalculation,omitempty"`
	ApplyTaxAfterDiscount bool          `json:"ApplyTaxAfterDiscount"`
	CustomerMemo          *struct {
		Value string `json:"value"`
	} `json:"CustomerMemo,omitempty"`
	PrivateNote  string        `json:"PrivateNote,omitempty"`
	BillEmail    *Email        `json:"BillEmail,omitempty"`
	BillAddr     *Address      `json:"BillAddr,omitempty"`
	ShipAddr     *Address      `json:"ShipAddr,omitempty"`
	EmailStatus  string        `json:"EmailStatus,omitempty"`
	PrintStatus  string        `json:"PrintStatus,omitempty"`
	DeliveryInfo *DeliveryInfo `json:"DeliveryInfo,omitempty"`
	TotalAmt     *Num          `json:"TotalAmt,omitempty"`
	Balance      *Num          `json:"Balance,omitempty"`
	HomeTotalAmt *Num          `json:"HomeTotalAmt,omitempty"`
	HomeBalance  *Num          `json:"HomeBalance,omitempty"`
	Deposit      *Num          `json:"Deposit,omitempty"`
	LinkedTxn    []LinkedTxn   `json:"LinkedTxn"`
}

// Payment is a customer payment applied to invoices.
type Payment struct {
	ID           string        `json:"Id,omitempty"`
	SyncToken    string        `json:"SyncToken,omitempty"`
	Domain       string        `json:"domain,omitempty"`
	Sparse       bool          `json:"sparse"`
	MetaData     *MetaData     `json:"MetaData,omitempty"`
	TxnDate      string        `json:"TxnDate"`
	CustomerRef  *Ref          `json:"CustomerRef"`
	CurrencyRef  *Ref          `json:"CurrencyRef,omitempty"`
	TotalAmt     *Num          `json:"TotalAmt"`
	UnappliedAmt *Num          `json:"UnappliedAmt"`
	Line         []PaymentLine `json:"Line"`
}

// PaymentLine applies part of a payment to transactions.
type PaymentLine struct {
	Amount    *Num        `json:"Amount"`
	LinkedTxn []LinkedTxn `json:"LinkedTxn"`
}
