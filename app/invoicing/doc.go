// Package invoicing is the Dealbooks domain and its Service: drafts, money, totals, status and every use case, behind ports.
package invoicing
