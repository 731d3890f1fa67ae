"""The directory formats a hub reads and writes, one module per format.

- `hsds3_csv`: HSDS 3.0's tabular form, a folder of CSV tables, to and from the nested
  HSDS 3.0 service objects that the JSON reader and writer use.

(The Open Referral JSON formats still live in `hub.openreferral`; they will move here.)
"""
