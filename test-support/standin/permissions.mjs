// Jira permission catalogue for /rest/api/2/mypermissions.
// Keys from the Jira Cloud OpenAPI's "Built-in permissions"; the ids of EDIT_ISSUES (12, documented),
// CREATE_ISSUES (11) and BULK_CHANGE (33, both from client mocks) are sourced; the other ids and all
// deprecated aliases follow Jira's legacy Permissions constants from memory [guess]. A real DC 10.3.19
// answers 81 keys (plugins add more; measured with a PAT, SLAC Jira findings 2026-09).

/** [key, id, name, type, description, deprecatedAliases[]] */
const RAW = [
  [
    'ADMINISTER',
    '0',
    'Jira Administrators',
    'GLOBAL',
    'Ability to perform most administration functions (excluding Import & Export, SMTP Configuration, etc.).',
    []
  ],
  [
    'USE',
    '1',
    'Jira Users',
    'GLOBAL',
    "Ability to log in to Jira. They are a 'user'. Any new users created will automatically join these groups, unless those groups have Jira System Administrators or Jira Administrators permissions.",
    []
  ],
  [
    'SYSTEM_ADMIN',
    '44',
    'Jira System Administrators',
    'GLOBAL',
    'Ability to perform all administration functions. There must be at least one group with this permission.',
    []
  ],
  [
    'USER_PICKER',
    '27',
    'Browse Users',
    'GLOBAL',
    "Ability to select a user or group from a popup window as well as the ability to use the 'share' issues feature.",
    []
  ],
  [
    'CREATE_SHARED_OBJECTS',
    '22',
    'Create Shared Objects',
    'GLOBAL',
    'Ability to share dashboards and filters with other users, groups and roles.',
    []
  ],
  [
    'MANAGE_GROUP_FILTER_SUBSCRIPTIONS',
    '24',
    'Manage Group Filter Subscriptions',
    'GLOBAL',
    'Ability to manage (create and delete) group filter subscriptions.',
    []
  ],
  [
    'BULK_CHANGE',
    '33',
    'Bulk Change',
    'GLOBAL',
    'Ability to modify a collection of issues at once. For example, resolve multiple issues in one step.',
    []
  ],
  [
    'ADMINISTER_PROJECTS',
    '23',
    'Administer Projects',
    'PROJECT',
    'Ability to administer a project in Jira.',
    ['PROJECT_ADMIN']
  ],
  [
    'BROWSE_PROJECTS',
    '10',
    'Browse Projects',
    'PROJECT',
    'Ability to browse projects and the issues within them.',
    ['BROWSE']
  ],
  [
    'VIEW_DEV_TOOLS',
    '29',
    'View Development Tools',
    'PROJECT',
    'Allows users in a software project to view development-related information on the issue, such as commits, reviews and build information.',
    ['VIEW_VERSION_CONTROL']
  ],
  [
    'VIEW_READONLY_WORKFLOW',
    '45',
    'View Read-Only Workflow',
    'PROJECT',
    'Users with this permission may view a read-only version of a workflow.',
    ['VIEW_WORKFLOW_READONLY']
  ],
  [
    'MANAGE_SPRINTS_PERMISSION',
    '-1',
    'Manage Sprints',
    'PROJECT',
    'Ability to manage sprints.',
    []
  ],
  [
    'CREATE_ISSUES',
    '11',
    'Create Issues',
    'PROJECT',
    'Ability to create issues.',
    ['CREATE_ISSUE']
  ],
  ['EDIT_ISSUES', '12', 'Edit Issues', 'PROJECT', 'Ability to edit issues.', ['EDIT_ISSUE']],
  ['TRANSITION_ISSUES', '46', 'Transition Issues', 'PROJECT', 'Ability to transition issues.', []],
  [
    'SCHEDULE_ISSUES',
    '28',
    'Schedule Issues',
    'PROJECT',
    "Ability to view or edit an issue's due date.",
    ['SCHEDULE_ISSUE']
  ],
  [
    'MOVE_ISSUES',
    '25',
    'Move Issues',
    'PROJECT',
    'Ability to move issues between projects or between workflows of the same project (if applicable). Note the user can only move issues to a project they have the create permission for.',
    ['MOVE_ISSUE']
  ],
  [
    'ASSIGN_ISSUES',
    '13',
    'Assign Issues',
    'PROJECT',
    'Ability to assign issues to other people.',
    ['ASSIGN_ISSUE']
  ],
  [
    'ASSIGNABLE_USER',
    '17',
    'Assignable User',
    'PROJECT',
    'Users with this permission may be assigned to issues.',
    []
  ],
  [
    'RESOLVE_ISSUES',
    '14',
    'Resolve Issues',
    'PROJECT',
    'Ability to resolve and reopen issues. This includes the ability to set a fix version.',
    ['RESOLVE_ISSUE']
  ],
  [
    'CLOSE_ISSUES',
    '18',
    'Close Issues',
    'PROJECT',
    'Ability to close issues. Often useful where your developers resolve issues, and a QA department closes them.',
    ['CLOSE_ISSUE']
  ],
  [
    'MODIFY_REPORTER',
    '30',
    'Modify Reporter',
    'PROJECT',
    'Ability to modify the reporter when creating or editing an issue.',
    []
  ],
  [
    'DELETE_ISSUES',
    '16',
    'Delete Issues',
    'PROJECT',
    'Ability to delete issues.',
    ['DELETE_ISSUE']
  ],
  [
    'LINK_ISSUES',
    '21',
    'Link Issues',
    'PROJECT',
    'Ability to link issues together and create linked issues. Only useful if issue linking is turned on.',
    ['LINK_ISSUE']
  ],
  [
    'SET_ISSUE_SECURITY',
    '26',
    'Set Issue Security',
    'PROJECT',
    'Ability to set the level of security on an issue so that only people in that security level can see the issue.',
    []
  ],
  [
    'VIEW_VOTERS_AND_WATCHERS',
    '31',
    'View Voters and Watchers',
    'PROJECT',
    'Ability to view the voters and watchers of an issue.',
    []
  ],
  [
    'MANAGE_WATCHERS',
    '32',
    'Manage Watchers',
    'PROJECT',
    'Ability to manage the watchers of an issue.',
    ['MANAGE_WATCHER_LIST']
  ],
  [
    'ADD_COMMENTS',
    '15',
    'Add Comments',
    'PROJECT',
    'Ability to comment on issues.',
    ['COMMENT_ISSUE']
  ],
  [
    'EDIT_ALL_COMMENTS',
    '34',
    'Edit All Comments',
    'PROJECT',
    'Ability to edit all comments made on issues.',
    ['COMMENT_EDIT_ALL']
  ],
  [
    'EDIT_OWN_COMMENTS',
    '35',
    'Edit Own Comments',
    'PROJECT',
    'Ability to edit own comments made on issues.',
    ['COMMENT_EDIT_OWN']
  ],
  [
    'DELETE_ALL_COMMENTS',
    '36',
    'Delete All Comments',
    'PROJECT',
    'Ability to delete all comments made on issues.',
    ['COMMENT_DELETE_ALL']
  ],
  [
    'DELETE_OWN_COMMENTS',
    '37',
    'Delete Own Comments',
    'PROJECT',
    'Ability to delete own comments made on issues.',
    ['COMMENT_DELETE_OWN']
  ],
  [
    'CREATE_ATTACHMENTS',
    '19',
    'Create Attachments',
    'PROJECT',
    'Users with this permission may create attachments.',
    ['CREATE_ATTACHMENT']
  ],
  [
    'DELETE_ALL_ATTACHMENTS',
    '38',
    'Delete All Attachments',
    'PROJECT',
    'Users with this permission may delete all attachments.',
    ['ATTACHMENT_DELETE_ALL']
  ],
  [
    'DELETE_OWN_ATTACHMENTS',
    '39',
    'Delete Own Attachments',
    'PROJECT',
    'Users with this permission may delete own attachments.',
    ['ATTACHMENT_DELETE_OWN']
  ],
  [
    'WORK_ON_ISSUES',
    '20',
    'Work On Issues',
    'PROJECT',
    'Ability to log work done against an issue. Only useful if Time Tracking is turned on.',
    ['WORK_ISSUE']
  ],
  [
    'EDIT_OWN_WORKLOGS',
    '40',
    'Edit Own Worklogs',
    'PROJECT',
    'Ability to edit own worklogs made on issues.',
    ['WORKLOG_EDIT_OWN']
  ],
  [
    'EDIT_ALL_WORKLOGS',
    '41',
    'Edit All Worklogs',
    'PROJECT',
    'Ability to edit all worklogs made on issues.',
    ['WORKLOG_EDIT_ALL']
  ],
  [
    'DELETE_OWN_WORKLOGS',
    '42',
    'Delete Own Worklogs',
    'PROJECT',
    'Ability to delete own worklogs made on issues.',
    ['WORKLOG_DELETE_OWN']
  ],
  [
    'DELETE_ALL_WORKLOGS',
    '43',
    'Delete All Worklogs',
    'PROJECT',
    'Ability to delete all worklogs made on issues.',
    ['WORKLOG_DELETE_ALL']
  ]
]

/**
 * @typedef {{ id: string, key: string, name: string, type: string, description: string, deprecatedKey?: true, canonical: string }} PermissionDef
 */

/** @type {PermissionDef[]} */
export const PERMISSION_CATALOGUE = RAW.flatMap(([key, id, name, type, description, aliases]) => [
  {
    id: String(id),
    key: String(key),
    name: String(name),
    type: String(type),
    description: String(description),
    canonical: String(key)
  },
  .../** @type {string[]} */ (aliases).map((alias) => ({
    id: String(id),
    key: alias,
    name: String(name),
    type: String(type),
    description: String(description),
    deprecatedKey: /** @type {true} */ (true),
    canonical: String(key)
  }))
])

export const DEFAULT_PERMISSIONS = Object.freeze({
  BROWSE_PROJECTS: true,
  CREATE_ISSUES: true,
  EDIT_ISSUES: true,
  ADD_COMMENTS: true,
  TRANSITION_ISSUES: true,
  RESOLVE_ISSUES: true,
  ASSIGN_ISSUES: true,
  LINK_ISSUES: true,
  DELETE_ISSUES: false,
  ADMINISTER: false,
  SYSTEM_ADMIN: false,
  ADMINISTER_PROJECTS: false
})

/**
 * Definitions known to the instance: the catalogue plus any extra key named in the `permissions` knob
 * (a plugin permission, say) [guess].
 * @param {Record<string, boolean>} knob
 * @param {boolean} includeDeprecated
 */
export function knownPermissions(knob, includeDeprecated) {
  const defs = PERMISSION_CATALOGUE.filter((def) => includeDeprecated || !def.deprecatedKey)
  const keys = new Set(defs.map((def) => def.key))
  let nextId = 90000
  for (const key of Object.keys(knob)) {
    if (!keys.has(key) && !PERMISSION_CATALOGUE.some((def) => def.key === key)) {
      defs.push({
        id: String(nextId++),
        key,
        name: key,
        type: 'PROJECT',
        description: `Plugin permission ${key}.`,
        canonical: key
      })
    }
  }
  return defs
}

/**
 * @param {PermissionDef} def
 * @param {Record<string, boolean>} knob
 * @param {boolean} authenticated
 */
export function permissionEntry(def, knob, authenticated) {
  const have = authenticated && (knob[def.key] ?? knob[def.canonical] ?? false) === true
  /** @type {Record<string, unknown>} */
  const entry = {
    id: def.id,
    key: def.key,
    name: def.name,
    type: def.type,
    description: def.description,
    havePermission: have
  }
  if (def.deprecatedKey) entry.deprecatedKey = true
  return entry
}
