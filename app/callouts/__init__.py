"""The call-out (oproep): publish a request to the companies that fit, collect their answers,
close it and record what the entrepreneur went on with."""
