// ESLint flat config. Formatting is Prettier's job: eslint-config-prettier (last) turns off every
// stylistic rule that would fight it.
import js from '@eslint/js'
import prettier from 'eslint-config-prettier/flat'
import jest from 'eslint-plugin-jest'
import { defineConfig, globalIgnores } from 'eslint/config'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default defineConfig(
  globalIgnores(['dist/', 'coverage/', 'node_modules/', '.tools/']),

  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node }
    }
  },

  js.configs.recommended,

  // All TypeScript: the syntax-only recommended rules.
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }
      ],
      // `typeof import('../src/x.js')` stays allowed: ESM tests import the module under test
      // dynamically, after jest.unstable_mockModule, and type the variable that way.
      '@typescript-eslint/consistent-type-imports': ['error', { disallowTypeAnnotations: false }]
    }
  },

  // The action itself: typed linting (floating promises, unsafe any, and so on).
  {
    files: ['src/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname
      }
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'error'
    }
  },

  // The engine knows nothing of its front-ends: no @actions/*, no action or CLI code, no process.env.
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@actions/*'],
              message: 'The engine is front-end neutral: @actions/* belongs in src/action/.'
            },
            {
              group: ['**/action/*', '**/cli/*'],
              message: 'The engine must not import a front-end.'
            }
          ]
        }
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'The engine takes its environment as a parameter.'
        },
        { object: 'process', property: 'exit', message: 'Only a front-end ends the process.' },
        {
          object: 'process',
          property: 'exitCode',
          message: 'Only a front-end sets the exit code.'
        },
        {
          object: 'process',
          property: 'stdout',
          message: 'The engine returns data; a front-end prints it.'
        },
        {
          object: 'process',
          property: 'stderr',
          message: 'The engine returns data; a front-end prints it.'
        }
      ]
    }
  },
  // The CLI runs without the Actions toolkit.
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@actions/*'], message: 'The CLI does not use the Actions toolkit.' },
            { group: ['**/action/*'], message: 'The CLI must not import the action front-end.' }
          ]
        }
      ]
    }
  },

  // Tests and their fixtures.
  {
    files: ['__tests__/**/*.ts', '__fixtures__/**/*.ts'],
    extends: [jest.configs['flat/recommended']],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      // The end-to-end suites are tables of scenarios: titles come from the table, and the
      // assertions live in the shared harness (assertCommon) and in each scenario's verify().
      'jest/valid-title': ['error', { ignoreTypeOfTestName: true }],
      'jest/expect-expect': [
        'warn',
        {
          assertFunctionNames: [
            'expect',
            'assertCommon',
            'assertNoLeaks',
            'assertCliRun',
            'assertRotation'
          ]
        }
      ]
    }
  },
  {
    files: ['__tests__/e2e/**/*.ts'],
    // Shared harness and scenario tables, imported by the *.test.ts files.
    rules: {
      'jest/no-standalone-expect': 'off',
      'jest/no-export': 'off',
      'jest/valid-title': 'off'
    }
  },

  prettier
)
