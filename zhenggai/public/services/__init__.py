"""One service per use case of the public side; views, commands and tests all call these.

Publishing: `submit.submit_public_version` (unit office), `decide.approve` / `decide.send_back` and
`withdraw.withdraw` (inspection office). Opinions: `receive.receive_opinion` (anyone),
`handle.assign` / `handle.reply` / `handle.close` (offices), `lookup.opinion_by_receipt` (the sender),
`counts.opinion_counts` (the dashboard).
"""
