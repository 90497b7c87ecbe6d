package quickbooks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// Decimal is an exact number as QuickBooks sends it: a JSON number, never a
// float. It keeps the places it was written with, so "100.00" decodes to a
// value with two decimal places and encodes back as 100.00.
type Decimal struct {
	decimal.Decimal
}

// maxExponent bounds the exponent of a decoded number, so that a hostile
// "1e-999999999" cannot make encoding it allocate gigabytes.
const maxExponent = 40

// Dec returns d as a Decimal, for building requests.
func Dec(d decimal.Decimal) *Decimal { return &Decimal{d} }

// UnmarshalJSON accepts a JSON number (or a quoted number, which some
// QuickBooks fields such as LineEx values use).
func (d *Decimal) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(b, `"`))
	v, err := decimal.NewFromString(s)
	if err != nil {
		return fmt.Errorf("quickbooks: decimal %q: %w", b, err)
	}
	if exp := v.Exponent(); exp < -maxExponent || exp > maxExponent {
		return fmt.Errorf("quickbooks: decimal %q out of range", b)
	}
	d.Decimal = v
	return nil
}

// MarshalJSON writes a JSON number with the value's own decimal places.
func (d Decimal) MarshalJSON() ([]byte, error) {
	if exp := d.Exponent(); exp < 0 {
		return []byte(d.StringFixed(-exp)), nil
	}
	return []byte(d.String()), nil
}

// Date is a calendar date (QuickBooks "yyyy-MM-dd"), with no time or zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date of t in t's own location.
func NewDate(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("quickbooks: date %q: %w", s, err)
	}
	return NewDate(t), nil
}

// String returns "YYYY-MM-DD".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Before reports whether d is an earlier day than o.
func (d Date) Before(o Date) bool {
	return d.time().Before(o.time())
}

// AddDays returns the date n days after d.
func (d Date) AddDays(n int) Date {
	return NewDate(d.time().AddDate(0, 0, n))
}

func (d Date) time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// MarshalJSON writes "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) {
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads "YYYY-MM-DD".
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("quickbooks: date: %w", err)
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Ref points at another QuickBooks object (an Id in Value) or, for
// currencies and the US pseudo tax codes, at a code ("USD", "TAX").
type Ref struct {
	Value string `json:"value"`
	Name  string `json:"name,omitempty"`
}

// MetaData holds the server's timestamps for an object.
type MetaData struct {
	CreateTime      *time.Time `json:"CreateTime,omitempty"`
	LastUpdatedTime *time.Time `json:"LastUpdatedTime,omitempty"`
}

// Address is a postal address. QuickBooks may send only Line1..Line5.
type Address struct {
	ID                     string `json:"Id,omitempty"`
	Line1                  string `json:"Line1,omitempty"`
	Line2                  string `json:"Line2,omitempty"`
	Line3                  string `json:"Line3,omitempty"`
	Line4                  string `json:"Line4,omitempty"`
	Line5                  string `json:"Line5,omitempty"`
	City                   string `json:"City,omitempty"`
	CountrySubDivisionCode string `json:"CountrySubDivisionCode,omitempty"`
	PostalCode             string `json:"PostalCode,omitempty"`
	Country                string `json:"Country,omitempty"`
}

// EmailAddress is QuickBooks' e-mail wrapper object.
type EmailAddress struct {
	Address string `json:"Address"`
}

// Phone is QuickBooks' phone wrapper object.
type Phone struct {
	FreeFormNumber string `json:"FreeFormNumber"`
}

// NameValue is a name/value pair as used by CompanyInfo and Preferences.
type NameValue struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

// MemoRef is the wrapper QuickBooks uses for CustomerMemo.
type MemoRef struct {
	Value string `json:"value"`
}

// LinkedTxn names a transaction linked to another (a payment on an invoice).
type LinkedTxn struct {
	TxnID   string `json:"TxnId"`
	TxnType string `json:"TxnType"`
}

// CustomField is one of an invoice's (at most three) string custom fields.
type CustomField struct {
	DefinitionID string `json:"DefinitionId"`
	Name         string `json:"Name,omitempty"`
	Type         string `json:"Type,omitempty"`
	StringValue  string `json:"StringValue,omitempty"`
}

// Line detail types.
const (
	SalesItemLine       = "SalesItemLineDetail"
	SubTotalLine        = "SubTotalLineDetail"
	DiscountLine        = "DiscountLineDetail"
	DescriptionOnlyLine = "DescriptionOnly"
)

// Line is one invoice line. DetailType says which detail is set.
type Line struct {
	ID                  string               `json:"Id,omitempty"`
	LineNum             *int                 `json:"LineNum,omitempty"`
	Description         string               `json:"Description,omitempty"`
	Amount              *Decimal             `json:"Amount,omitempty"`
	DetailType          string               `json:"DetailType"`
	SalesItemLineDetail *SalesItemLineDetail `json:"SalesItemLineDetail,omitempty"`
	SubTotalLineDetail  *struct{}            `json:"SubTotalLineDetail,omitempty"`
	DiscountLineDetail  *DiscountLineDetail  `json:"DiscountLineDetail,omitempty"`
}

// SalesItemLineDetail is the detail of a product or service line.
type SalesItemLineDetail struct {
	ItemRef         *Ref     `json:"ItemRef,omitempty"`
	Qty             *Decimal `json:"Qty,omitempty"`
	UnitPrice       *Decimal `json:"UnitPrice,omitempty"`
	TaxCodeRef      *Ref     `json:"TaxCodeRef,omitempty"`
	ServiceDate     *Date    `json:"ServiceDate,omitempty"`
	TaxInclusiveAmt *Decimal `json:"TaxInclusiveAmt,omitempty"`
}

// DiscountLineDetail is the detail of a discount line.
type DiscountLineDetail struct {
	PercentBased       *bool    `json:"PercentBased,omitempty"`
	DiscountPercent    *Decimal `json:"DiscountPercent,omitempty"`
	DiscountAccountRef *Ref     `json:"DiscountAccountRef,omitempty"`
}

// TxnTaxDetail is an invoice's tax summary.
type TxnTaxDetail struct {
	TxnTaxCodeRef *Ref      `json:"TxnTaxCodeRef,omitempty"`
	TotalTax      *Decimal  `json:"TotalTax,omitempty"`
	TaxLine       []TaxLine `json:"TaxLine,omitempty"`
}

// TaxLine is the tax charged at one rate.
type TaxLine struct {
	Amount        *Decimal       `json:"Amount,omitempty"`
	DetailType    string         `json:"DetailType,omitempty"`
	TaxLineDetail *TaxLineDetail `json:"TaxLineDetail,omitempty"`
}

// TaxLineDetail says which rate a TaxLine applies and to what.
type TaxLineDetail struct {
	TaxRateRef       *Ref     `json:"TaxRateRef,omitempty"`
	PercentBased     *bool    `json:"PercentBased,omitempty"`
	TaxPercent       *Decimal `json:"TaxPercent,omitempty"`
	NetAmountTaxable *Decimal `json:"NetAmountTaxable,omitempty"`
}

// DeliveryInfo records when QuickBooks last e-mailed an invoice.
type DeliveryInfo struct {
	DeliveryType string     `json:"DeliveryType,omitempty"`
	DeliveryTime *time.Time `json:"DeliveryTime,omitempty"`
}

// Global tax calculation modes (non-US companies).
const (
	TaxExcluded   = "TaxExcluded"
	TaxInclusive  = "TaxInclusive"
	NotApplicable = "NotApplicable"
)

// Invoice is a QuickBooks invoice. Read-only fields (TotalAmt, Balance, …)
// are filled by QuickBooks; for a sparse update set only the fields to change.
type Invoice struct {
	ID                    string        `json:"Id,omitempty"`
	SyncToken             string        `json:"SyncToken,omitempty"`
	Sparse                bool          `json:"sparse,omitempty"`
	Status                string        `json:"status,omitempty"` // "Deleted" on delete and in CDC
	MetaData              *MetaData     `json:"MetaData,omitempty"`
	DocNumber             string        `json:"DocNumber,omitempty"`
	TxnDate               *Date         `json:"TxnDate,omitempty"`
	DueDate               *Date         `json:"DueDate,omitempty"`
	CustomerRef           *Ref          `json:"CustomerRef,omitempty"`
	CurrencyRef           *Ref          `json:"CurrencyRef,omitempty"`
	ExchangeRate          *Decimal      `json:"ExchangeRate,omitempty"`
	SalesTermRef          *Ref          `json:"SalesTermRef,omitempty"`
	Line                  []Line        `json:"Line,omitempty"`
	TxnTaxDetail          *TxnTaxDetail `json:"TxnTaxDetail,omitempty"`
	GlobalTaxCalculation  string        `json:"GlobalTaxCalculation,omitempty"`
	ApplyTaxAfterDiscount *bool         `json:"ApplyTaxAfterDiscount,omitempty"`
	CustomerMemo          *MemoRef      `json:"CustomerMemo,omitempty"`
	PrivateNote           *string       `json:"PrivateNote,omitempty"`
	BillEmail             *EmailAddress `json:"BillEmail,omitempty"`
	BillAddr              *Address      `json:"BillAddr,omitempty"`
	ShipAddr              *Address      `json:"ShipAddr,omitempty"`
	EmailStatus           string        `json:"EmailStatus,omitempty"`
	PrintStatus           string        `json:"PrintStatus,omitempty"`
	DeliveryInfo          *DeliveryInfo `json:"DeliveryInfo,omitempty"`
	TotalAmt              *Decimal      `json:"TotalAmt,omitempty"`
	Balance               *Decimal      `json:"Balance,omitempty"`
	HomeTotalAmt          *Decimal      `json:"HomeTotalAmt,omitempty"`
	HomeBalance           *Decimal      `json:"HomeBalance,omitempty"`
	Deposit               *Decimal      `json:"Deposit,omitempty"`
	LinkedTxn             []LinkedTxn   `json:"LinkedTxn,omitempty"`
	CustomField           []CustomField `json:"CustomField,omitempty"`
	InvoiceLink           string        `json:"InvoiceLink,omitempty"`
	AllowOnlinePayment    *bool         `json:"AllowOnlinePayment,omitempty"`
	ProjectRef            *Ref          `json:"ProjectRef,omitempty"`
	ShipFromAddr          *Address      `json:"ShipFromAddr,omitempty"`
	BillEmailCc           *EmailAddress `json:"BillEmailCc,omitempty"`
	BillEmailBcc          *EmailAddress `json:"BillEmailBcc,omitempty"`
	ShipDate              *Date         `json:"ShipDate,omitempty"`
	TrackingNum           string        `json:"TrackingNum,omitempty"`
	TxnSource             string        `json:"TxnSource,omitempty"`
	Domain                string        `json:"domain,omitempty"`
}

// Deleted reports whether this is a deletion marker (delete response or CDC
// entry), which carries only Id and status.
func (inv *Invoice) Deleted() bool { return inv.Status == "Deleted" }

// Customer is a QuickBooks customer. Its currency is fixed once created.
type Customer struct {
	ID                      string        `json:"Id,omitempty"`
	SyncToken               string        `json:"SyncToken,omitempty"`
	Sparse                  bool          `json:"sparse,omitempty"`
	MetaData                *MetaData     `json:"MetaData,omitempty"`
	DisplayName             string        `json:"DisplayName,omitempty"`
	Title                   string        `json:"Title,omitempty"`
	GivenName               string        `json:"GivenName,omitempty"`
	FamilyName              string        `json:"FamilyName,omitempty"`
	CompanyName             string        `json:"CompanyName,omitempty"`
	FullyQualifiedName      string        `json:"FullyQualifiedName,omitempty"`
	PrintOnCheckName        string        `json:"PrintOnCheckName,omitempty"`
	PrimaryEmailAddr        *EmailAddress `json:"PrimaryEmailAddr,omitempty"`
	PrimaryPhone            *Phone        `json:"PrimaryPhone,omitempty"`
	BillAddr                *Address      `json:"BillAddr,omitempty"`
	ShipAddr                *Address      `json:"ShipAddr,omitempty"`
	Notes                   *string       `json:"Notes,omitempty"`
	Taxable                 *bool         `json:"Taxable,omitempty"`
	DefaultTaxCodeRef       *Ref          `json:"DefaultTaxCodeRef,omitempty"`
	SalesTermRef            *Ref          `json:"SalesTermRef,omitempty"`
	CurrencyRef             *Ref          `json:"CurrencyRef,omitempty"`
	PrimaryTaxIdentifier    string        `json:"PrimaryTaxIdentifier,omitempty"`
	ResaleNum               string        `json:"ResaleNum,omitempty"`
	PreferredDeliveryMethod string        `json:"PreferredDeliveryMethod,omitempty"`
	Balance                 *Decimal      `json:"Balance,omitempty"`
	BalanceWithJobs         *Decimal      `json:"BalanceWithJobs,omitempty"`
	Job                     *bool         `json:"Job,omitempty"`
	Active                  *bool         `json:"Active,omitempty"`
}

// Item is a product or service that invoice lines refer to.
type Item struct {
	ID                 string    `json:"Id,omitempty"`
	SyncToken          string    `json:"SyncToken,omitempty"`
	MetaData           *MetaData `json:"MetaData,omitempty"`
	Name               string    `json:"Name,omitempty"`
	FullyQualifiedName string    `json:"FullyQualifiedName,omitempty"`
	Sku                string    `json:"Sku,omitempty"` // the item's SKU (stock-keeping unit), "" when not set
	Description        string    `json:"Description,omitempty"`
	Type               string    `json:"Type,omitempty"`
	Active             *bool     `json:"Active,omitempty"`
	Taxable            *bool     `json:"Taxable,omitempty"`
	UnitPrice          *Decimal  `json:"UnitPrice,omitempty"`
	IncomeAccountRef   *Ref      `json:"IncomeAccountRef,omitempty"`
	SalesTaxCodeRef    *Ref      `json:"SalesTaxCodeRef,omitempty"`
}

// TaxCode is a sales tax code (or group) and the rates it applies.
type TaxCode struct {
	ID                  string       `json:"Id,omitempty"`
	SyncToken           string       `json:"SyncToken,omitempty"`
	MetaData            *MetaData    `json:"MetaData,omitempty"`
	Name                string       `json:"Name,omitempty"`
	Description         string       `json:"Description,omitempty"`
	Active              *bool        `json:"Active,omitempty"`
	Taxable             *bool        `json:"Taxable,omitempty"`
	TaxGroup            *bool        `json:"TaxGroup,omitempty"`
	SalesTaxRateList    *TaxRateList `json:"SalesTaxRateList,omitempty"`
	PurchaseTaxRateList *TaxRateList `json:"PurchaseTaxRateList,omitempty"`
}

// TaxRateList lists the rates of a tax code.
type TaxRateList struct {
	TaxRateDetail []TaxRateDetail `json:"TaxRateDetail"`
}

// TaxRateDetail refers to one rate of a tax code.
type TaxRateDetail struct {
	TaxRateRef        *Ref   `json:"TaxRateRef,omitempty"`
	TaxTypeApplicable string `json:"TaxTypeApplicable,omitempty"`
	TaxOrder          *int   `json:"TaxOrder,omitempty"`
}

// TaxRate is one tax rate, in percent.
type TaxRate struct {
	ID             string    `json:"Id,omitempty"`
	SyncToken      string    `json:"SyncToken,omitempty"`
	MetaData       *MetaData `json:"MetaData,omitempty"`
	Name           string    `json:"Name,omitempty"`
	Description    string    `json:"Description,omitempty"`
	Active         *bool     `json:"Active,omitempty"`
	RateValue      *Decimal  `json:"RateValue,omitempty"`
	AgencyRef      *Ref      `json:"AgencyRef,omitempty"`
	SpecialTaxType string    `json:"SpecialTaxType,omitempty"`
	DisplayType    string    `json:"DisplayType,omitempty"`
}

// Term is a payment term such as "Net 30".
type Term struct {
	ID           string    `json:"Id,omitempty"`
	SyncToken    string    `json:"SyncToken,omitempty"`
	MetaData     *MetaData `json:"MetaData,omitempty"`
	Name         string    `json:"Name,omitempty"`
	Active       *bool     `json:"Active,omitempty"`
	Type         string    `json:"Type,omitempty"`
	DueDays      *int      `json:"DueDays,omitempty"`
	DiscountDays *int      `json:"DiscountDays,omitempty"`
}

// Payment is a customer payment, applied to invoices through its lines.
type Payment struct {
	ID           string        `json:"Id,omitempty"`
	SyncToken    string        `json:"SyncToken,omitempty"`
	Status       string        `json:"status,omitempty"`
	MetaData     *MetaData     `json:"MetaData,omitempty"`
	TxnDate      *Date         `json:"TxnDate,omitempty"`
	CustomerRef  *Ref          `json:"CustomerRef,omitempty"`
	CurrencyRef  *Ref          `json:"CurrencyRef,omitempty"`
	TotalAmt     *Decimal      `json:"TotalAmt,omitempty"`
	UnappliedAmt *Decimal      `json:"UnappliedAmt,omitempty"`
	Line         []PaymentLine `json:"Line,omitempty"`
}

// PaymentLine is the part of a payment applied to linked transactions.
type PaymentLine struct {
	Amount    *Decimal    `json:"Amount,omitempty"`
	LinkedTxn []LinkedTxn `json:"LinkedTxn,omitempty"`
}

// InvoiceIDs returns the ids of the invoices this payment is applied to.
func (p *Payment) InvoiceIDs() []string {
	var ids []string
	for _, l := range p.Line {
		for _, t := range l.LinkedTxn {
			if t.TxnType == "Invoice" {
				ids = append(ids, t.TxnID)
			}
		}
	}
	return ids
}

// CompanyInfo describes the connected company.
type CompanyInfo struct {
	ID                   string        `json:"Id,omitempty"`
	SyncToken            string        `json:"SyncToken,omitempty"`
	MetaData             *MetaData     `json:"MetaData,omitempty"`
	CompanyName          string        `json:"CompanyName,omitempty"`
	LegalName            string        `json:"LegalName,omitempty"`
	Country              string        `json:"Country,omitempty"`
	CompanyAddr          *Address      `json:"CompanyAddr,omitempty"`
	LegalAddr            *Address      `json:"LegalAddr,omitempty"`
	Email                *EmailAddress `json:"Email,omitempty"`
	PrimaryPhone         *Phone        `json:"PrimaryPhone,omitempty"`
	FiscalYearStartMonth string        `json:"FiscalYearStartMonth,omitempty"`
	CompanyStartDate     *Date         `json:"CompanyStartDate,omitempty"`
	SupportedLanguages   string        `json:"SupportedLanguages,omitempty"`
	NameValue            []NameValue   `json:"NameValue,omitempty"`
}

// Preferences are the company settings the app depends on.
type Preferences struct {
	ID              string           `json:"Id,omitempty"`
	SyncToken       string           `json:"SyncToken,omitempty"`
	CurrencyPrefs   *CurrencyPrefs   `json:"CurrencyPrefs,omitempty"`
	SalesFormsPrefs *SalesFormsPrefs `json:"SalesFormsPrefs,omitempty"`
	TaxPrefs        *TaxPrefs        `json:"TaxPrefs,omitempty"`
	OtherPrefs      *OtherPrefs      `json:"OtherPrefs,omitempty"`
}

// CurrencyPrefs holds the home currency and the multicurrency switch.
type CurrencyPrefs struct {
	MultiCurrencyEnabled *bool `json:"MultiCurrencyEnabled,omitempty"`
	HomeCurrency         *Ref  `json:"HomeCurrency,omitempty"`
}

// SalesFormsPrefs holds invoice-form settings.
type SalesFormsPrefs struct {
	CustomTxnNumbers       *bool  `json:"CustomTxnNumbers,omitempty"`
	AllowDeposit           *bool  `json:"AllowDeposit,omitempty"`
	AllowDiscount          *bool  `json:"AllowDiscount,omitempty"`
	AllowServiceDate       *bool  `json:"AllowServiceDate,omitempty"`
	DefaultTerms           *Ref   `json:"DefaultTerms,omitempty"`
	DefaultCustomerMessage string `json:"DefaultCustomerMessage,omitempty"`
}

// TaxPrefs holds the sales tax settings.
type TaxPrefs struct {
	UsingSalesTax     *bool `json:"UsingSalesTax,omitempty"`
	PartnerTaxEnabled *bool `json:"PartnerTaxEnabled,omitempty"`
	TaxGroupCodeRef   *Ref  `json:"TaxGroupCodeRef,omitempty"`
}

// OtherPrefs holds the remaining settings as name/value pairs.
type OtherPrefs struct {
	NameValue []NameValue `json:"NameValue,omitempty"`
}

// HomeCurrency returns the ISO code of the home currency ("" if unknown).
func (p *Preferences) HomeCurrency() string {
	if p.CurrencyPrefs == nil || p.CurrencyPrefs.HomeCurrency == nil {
		return ""
	}
	return p.CurrencyPrefs.HomeCurrency.Value
}

// MultiCurrency reports whether multicurrency is switched on.
func (p *Preferences) MultiCurrency() bool {
	return p.CurrencyPrefs != nil && isTrue(p.CurrencyPrefs.MultiCurrencyEnabled)
}

// CustomTxnNumbers reports whether the company numbers invoices itself
// (then QuickBooks leaves DocNumber empty unless we send one).
func (p *Preferences) CustomTxnNumbers() bool {
	return p.SalesFormsPrefs != nil && isTrue(p.SalesFormsPrefs.CustomTxnNumbers)
}

// DefaultItemID returns the company's default sales item id, if any.
func (p *Preferences) DefaultItemID() string {
	if p.OtherPrefs == nil {
		return ""
	}
	for _, nv := range p.OtherPrefs.NameValue {
		if nv.Name == "SalesFormsPrefs.DefaultItem" {
			return nv.Value
		}
	}
	return ""
}

// TaxModel says how invoice lines carry tax for a company.
type TaxModel int

// The tax models.
const (
	// TaxNone: sales tax is off; lines carry no tax code.
	TaxNone TaxModel = iota
	// TaxUS: lines carry "TAX" or "NON"; the invoice may name a tax code
	// (TxnTaxDetail.TxnTaxCodeRef) that gives the rate.
	TaxUS
	// TaxUSAutomated: as TaxUS, but QuickBooks works out the rate from addresses.
	TaxUSAutomated
	// TaxGlobal: every line carries a real TaxCode id and the invoice says
	// GlobalTaxCalculation.
	TaxGlobal
)

// TaxModelOf derives the tax model from the company's country and preferences.
func TaxModelOf(info *CompanyInfo, prefs *Preferences) TaxModel {
	if info.Country != "" && info.Country != "US" {
		return TaxGlobal
	}
	if prefs.TaxPrefs == nil || !isTrue(prefs.TaxPrefs.UsingSalesTax) {
		return TaxNone
	}
	if isTrue(prefs.TaxPrefs.PartnerTaxEnabled) {
		return TaxUSAutomated
	}
	return TaxUS
}

func isTrue(b *bool) bool { return b != nil && *b }
