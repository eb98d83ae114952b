-- What a variant's options say in each language, e.g. {"en": {"farbe": "black"}}; the options themselves stay the
-- shop's own values (filters, feeds and ERP keys keep working), the labels are what shoppers read.
ALTER TABLE variants ADD COLUMN option_labels jsonb NOT NULL DEFAULT '{}';
