"""The contact book (通讯录): units and people with their office, mobile and
24-hour duty numbers, fax and what each is called about (tags). ``service``
writes (administrators only, audited), ``view`` reads and finds (pinyin,
initials, a phone number, who to call for an urgent item's type), ``files``
imports and exports CSV, ``demo`` fills a demo store."""
