"""The annual report (政府信息公开工作年度报告, national format of 2021) and the ledger."""
