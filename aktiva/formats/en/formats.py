"""English as read in Germany: day before month and a 24-hour clock.

Django's "en" formats are American (05/06/2027 is 6 May there and 5 June to everyone
else here; "9 a.m." beside the German "09:00" of a printed sheet). Only the formats that
pages show are set; the rest, and all input formats, stay Django's (the forms use the
browser's ISO date and time pickers).
"""

DATE_FORMAT = "j F Y"  # 6 May 2027
SHORT_DATE_FORMAT = "d/m/Y"  # 06/05/2027
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday, as in the German calendar beside it
