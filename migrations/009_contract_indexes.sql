-- No query reads contracts by notification date or CPV alone (lists are per buyer, supplier or notice, and
-- search goes through the index): the two indexes only slowed bulk imports down.
DROP INDEX contracts_notified;
DROP INDEX contracts_cpv;
