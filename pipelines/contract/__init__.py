"""The submission contract as data (contract.yaml) and its typed model."""

from pipelines.contract.model import Column, Contract, Rule, Table, fiscal_year, load_contract, period_year

__all__ = ["Column", "Contract", "Rule", "Table", "fiscal_year", "load_contract", "period_year"]
