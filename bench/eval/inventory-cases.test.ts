import { describe, expect, it } from 'vitest';
import { runCase } from './evaluate.js';
import { inventoryTypeCases } from './inventory-cases.js';

describe('inventory-type eval cases', () => {
  it('find exactly the labelled drift and rate the riskiest of it high or critical', () => {
    for (const c of inventoryTypeCases()) {
      const { score, report } = runCase(c);
      expect(score.errors).toEqual([]);
      const severity = Object.fromEntries(report.items.map((i) => [i.address, i.severity]));
      expect(severity).toEqual({
        'google_sql_database_instance.debug-copy': 'critical',
        'google_sql_database_instance.orders': 'critical',
        'google_container_cluster.orders': 'critical',
        'azurerm_mssql_server.orders': 'high',
        'azurerm_kubernetes_cluster.orders': 'high',
        'azurerm_key_vault.orders': 'high',
      });
    }
  });
});
