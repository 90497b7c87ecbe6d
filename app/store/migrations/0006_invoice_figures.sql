-- What QuickBooks reports on an invoice besides its total and balance, for the rep and the accountant:
-- the tax total (TxnTaxDetail.TotalTax), the discount lines' sum, the deposit taken on the invoice (which
-- is not a payment), and the home-currency total with its exchange rate ('0' for a home-currency invoice).
-- Invoices cached before this version read '0' until the next refresh reads them again.
ALTER TABLE invoices ADD COLUMN tax           TEXT NOT NULL DEFAULT '0'; -- exact decimal
ALTER TABLE invoices ADD COLUMN discount      TEXT NOT NULL DEFAULT '0'; -- exact decimal
ALTER TABLE invoices ADD COLUMN deposit       TEXT NOT NULL DEFAULT '0'; -- exact decimal
ALTER TABLE invoices ADD COLUMN home_total    TEXT NOT NULL DEFAULT '0'; -- exact decimal
ALTER TABLE invoices ADD COLUMN exchange_rate TEXT NOT NULL DEFAULT '0'; -- exact decimal
