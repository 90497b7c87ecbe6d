// Package invoicing holds the Dealbooks domain: drafts, money, totals, validation and invoice status.
package invoicing
